import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '#kernel';
import { SqlEventStore, PgliteDatabase } from '#event-store/adapters';
import { decodeIntegrationEvent } from './cloud-event-binding.js';
import { EventRelay, inProcessRelayLock } from './event-relay.js';
import { InProcessMessageBus } from './in-process-message-bus.js';
import type { IntegrationEventDeclaration } from './integration-event-registry.js';
import { integrationEnvelope, IntegrationEventRegistry } from './integration-event-registry.js';
import type { BusMessage, ReceivedMessage } from './message-bus.js';
import { sqlStoreBacklog } from './store-backlog.js';

const event = (type: string, n: number): NewEvent => ({
  eventId: randomUUID(),
  type,
  data: { n },
  metadata: { actor: 'tester', correlationId: 'c', occurredAt: '2026-03-01T10:00:00.000Z', context: 'approvals' },
});

/** Publishes `Public*` events; `Internal*` ones stay in the store. */
const declaration: IntegrationEventDeclaration = {
  context: 'approvals',
  eventTypes: ['PublicRequested', 'PublicGranted'],
  map: (e: RecordedEvent) => ({
    ...integrationEnvelope(e, 'approvals', `dev.compliance-ledger.approvals.${e.type.toLowerCase()}.v1`),
    data: { n: (e.data as { n: number }).n },
  }),
};
const registry = new IntegrationEventRegistry([declaration]);

/** A bus whose publish fails while `down` is set, as Kafka does while its brokers are away. */
class FlakyBus extends InProcessMessageBus {
  down = false;
  attempts = 0;
  override async publish(messages: readonly BusMessage[]): Promise<void> {
    this.attempts += 1;
    if (this.down) throw new Error('brokers unreachable');
    await super.publish(messages);
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('EventRelay (embedded PGlite, in-process bus)', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;
  let bus: FlakyBus;
  let received: ReceivedMessage[];
  const relays: EventRelay[] = [];
  const newRelay = (options: Partial<ConstructorParameters<typeof EventRelay>[3]> = {}) => {
    const relay = new EventRelay(store, db, bus, { registry, backlog: sqlStoreBacklog(db), lagIntervalMs: 50, ...options });
    relays.push(relay);
    return relay;
  };
  const checkpoint = async () =>
    (await db.query<{ cursor: string }>("SELECT cursor FROM relay_checkpoints WHERE name = 'integration-events'"))[0]?.cursor;

  beforeEach(async () => {
    db = await PgliteDatabase.open();
    store = new SqlEventStore(db);
    await store.migrate();
    bus = new FlakyBus();
    received = [];
    await bus.subscribe({ group: 'probe', topics: ['approvals.events.v1'], handle: async (m) => void received.push(m) });
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await bus.close();
    await db.close();
  });

  it('publishes mapped events in store order as CloudEvents keyed by stream, and skips the rest', async () => {
    await store.append('approval-1', [event('PublicRequested', 1), event('InternalNoted', 2)], 'no_stream');
    await store.append('approval-2', [event('PublicRequested', 3)], 'no_stream');
    const last = await store.append('approval-1', [event('PublicGranted', 4), event('InternalNoted', 5)], 2);
    const relay = newRelay();
    await relay.start();
    await until(async () => (await checkpoint()) === last.lastCursor);
    const events = received.map((m) => decodeIntegrationEvent(m));
    expect(events.map((e) => e.data['n'])).toEqual([1, 3, 4]);
    expect(received.map((m) => m.key)).toEqual(['approval-1', 'approval-2', 'approval-1']);
    expect(events[2]).toMatchObject({
      type: 'dev.compliance-ledger.approvals.publicgranted.v1',
      subject: 'approval-1',
      topic: 'approvals.events.v1',
    });
    expect(relay.status()).toMatchObject({ role: 'active', published: 3, error: null });
  });

  it('dead-letters an event its mapper throws on, publishes every other one, and publishes it on replay after a fix', async () => {
    let fixed = false;
    const strict: IntegrationEventDeclaration = {
      ...declaration,
      map: (e: RecordedEvent) => {
        const n = (e.data as { n?: unknown }).n;
        if (typeof n !== 'number' && !fixed) throw new TypeError('data.n is missing: not in the contract');
        return declaration.map({ ...e, data: { n: typeof n === 'number' ? n : -1 } });
      },
    };
    const relay = newRelay({ registry: new IntegrationEventRegistry([strict]) });
    await relay.start();
    const broken = { ...event('PublicRequested', 0), data: { old: 'shape' } };
    const last = await store.append('approval-1', [event('PublicRequested', 1), broken, event('PublicGranted', 2)], 'no_stream');
    await until(async () => (await checkpoint()) === last.lastCursor);
    expect(received.map((m) => decodeIntegrationEvent(m).data['n'])).toEqual([1, 2]);
    expect(relay.status()).toMatchObject({ error: null, deadLettered: 1 });
    const [letter] = await relay.quarantined();
    expect(letter).toMatchObject({ eventId: broken.eventId, streamId: 'approval-1', streamVersion: 2, type: 'PublicRequested' });
    expect(letter!.error).toBe('TypeError: data.n is missing: not in the contract');

    expect((await relay.replayQuarantined(store)).replayed).toBe(0); // still broken: kept, one more attempt
    expect((await relay.quarantined())[0]!.attempts).toBe(2);
    fixed = true;
    expect(await relay.replayQuarantined(store)).toEqual({ replayed: 1, remaining: [] });
    expect(received.map((m) => decodeIntegrationEvent(m).data['n'])).toEqual([1, 2, -1]);
    expect(received[2]!.key).toBe('approval-1');
  });

  it('advances its checkpoint over a batch it publishes nothing of', async () => {
    const last = await store.append('note-1', [event('InternalNoted', 1), event('InternalNoted', 2)], 'no_stream');
    await newRelay().start();
    await until(async () => (await checkpoint()) === last.lastCursor);
    expect(received).toHaveLength(0);
  });

  it('resumes from its checkpoint after a restart, publishing nothing twice', async () => {
    await store.append('approval-1', [event('PublicRequested', 1)], 'no_stream');
    const first = newRelay();
    await first.start();
    await until(() => received.length === 1);
    await first.stop();
    await store.append('approval-1', [event('PublicGranted', 2)], 1);
    await newRelay().start();
    await until(() => received.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.map((m) => decodeIntegrationEvent(m).data['n'])).toEqual([1, 2]);
  });

  it('keeps the checkpoint while the bus is down, then publishes everything in order once it is back', async () => {
    bus.down = true;
    const relay = newRelay();
    await relay.start();
    for (let n = 1; n <= 5; n++) await store.append(`approval-${n % 2}`, [event('PublicRequested', n)], 'any');
    await until(() => bus.attempts >= 2);
    expect(await checkpoint()).toBeUndefined();
    expect(relay.status().error).toMatch(/brokers unreachable/);
    expect(await relay.measureLag()).toBe(5);
    bus.down = false;
    await until(() => received.length === 5, 15_000);
    expect(received.map((m) => decodeIntegrationEvent(m).data['n'])).toEqual([1, 2, 3, 4, 5]);
    expect(await relay.measureLag()).toBe(0);
    expect(relay.status().error).toBeNull();
  });

  it('stands by while another relay holds the lock of the same database', async () => {
    await store.append('approval-1', [event('PublicRequested', 1)], 'no_stream');
    const active = newRelay({ lock: inProcessRelayLock(db) });
    await active.start();
    await until(() => active.status().role === 'active');
    const standby = newRelay({ lock: inProcessRelayLock(db), standbyRetryMs: 20 });
    await standby.start();
    await until(() => standby.status().role === 'standby');
    await active.stop();
    await until(() => standby.status().role === 'active');
    await store.append('approval-1', [event('PublicGranted', 2)], 1);
    await until(() => received.length === 2);
    expect(received.map((m) => decodeIntegrationEvent(m).data['n'])).toEqual([1, 2]);
  });
});
