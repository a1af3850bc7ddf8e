import { randomUUID } from 'node:crypto';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { Invalid, SequentialIds, START, WrongExpectedVersion } from '#kernel';
import { eventStoreContract, newEvent } from './event-store.contract.js';
import { KurrentDbEventStore, kurrentEventId, LEDGER_EVENT_ID_KEY, toStreamState } from './kurrentdb-event-store.js';

// No KurrentDB server can run on our machines; docker-compose.yml provides one for those with Docker.
const url = process.env['KURRENTDB_URL'];
const withServer = url ? describe : describe.skip;
const skipped = url ? '' : ' (skipped: set KURRENTDB_URL, e.g. kurrentdb://127.0.0.1:2113?tls=false)';

withServer(`event store contract: KurrentDB${skipped}`, () => {
  eventStoreContract({
    async open() {
      return KurrentDbEventStore.connect(url!);
    },
    // $all is a single ordered log: a write cannot be overtaken while in flight, so no holdOpenAppend.
  });
});

withServer(`KurrentDB adapter specifics${skipped}`, () => {
  let store: KurrentDbEventStore;
  let client: KurrentDBClient;
  beforeAll(() => {
    store = KurrentDbEventStore.connect(url!);
    client = KurrentDBClient.connectionString(url!);
  });
  afterAll(async () => {
    await store.close();
    await client.dispose();
  });

  async function head(): Promise<string> {
    let cursor = START;
    for (;;) {
      const batch = await store.readAll(cursor, { limit: 5000 });
      if (batch.length === 0) return cursor;
      cursor = batch[batch.length - 1]!.cursor;
    }
  }

  it('keeps non-UUID event ids, stored under a derived UUID', async () => {
    const ids = new SequentialIds(`evt-${randomUUID()}`);
    const id = `thing-${randomUUID()}`;
    const appended = await store.append(
      id,
      [
        { ...newEvent('A'), eventId: ids.next() },
        { ...newEvent('B'), eventId: ids.next() },
      ],
      'no_stream',
    );
    const events = await store.readStream(id);
    expect(events.map((e) => e.eventId)).toEqual(appended.events.map((e) => e.eventId));
    expect(events[0]!.eventId).toMatch(/^evt-.*-1$/);
    expect(events[0]!.metadata).not.toHaveProperty(LEDGER_EVENT_ID_KEY);
    const raw = [];
    for await (const resolved of client.readStream(id)) raw.push(resolved.event?.id);
    expect(raw).toEqual(events.map((e) => kurrentEventId(e.eventId)));
  });

  it('reports the current version in WrongExpectedVersion', async () => {
    const id = `thing-${randomUUID()}`;
    await store.append(id, [newEvent(), newEvent()], 'no_stream');
    const error = await store.append(id, [newEvent()], 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedVersion);
    expect((error as WrongExpectedVersion).actual).toBe(2);
  });

  it('skips system events in readAll, including a trailing run of them', async () => {
    const from = await head();
    const id = `thing-${randomUUID()}`;
    const a = await store.append(id, [newEvent('A')], 'no_stream');
    await client.setStreamMetadata(id, { maxCount: 1000 }); // a $metadata event in $$<id>
    const b = await store.append(id, [newEvent('B')], 1);
    await client.setStreamMetadata(id, { maxCount: 2000 });
    expect((await store.readAll(from)).map((e) => e.eventId)).toEqual([a.events[0]!.eventId, b.events[0]!.eventId]);
    expect(await store.readAll(b.lastCursor)).toEqual([]);
    expect(await store.readAll(b.lastCursor)).toEqual([]); // resumes past the scanned tail
    const c = await store.append(id, [newEvent('C')], 2);
    expect((await store.readAll(b.lastCursor)).map((e) => e.type)).toEqual(['C']);
    expect(c.events[0]!.position).toBeGreaterThan(b.events[0]!.position);
  });

  it('answers ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe('KurrentDB adapter mapping (no server needed)', () => {
  it('maps expected versions (counts) to stream states (last revision)', () => {
    expect(toStreamState('any')).toBe('any');
    expect(toStreamState('no_stream')).toBe('no_stream');
    expect(toStreamState(0)).toBe('no_stream');
    expect(toStreamState(1)).toBe(0n);
    expect(toStreamState(42)).toBe(41n);
    expect(() => toStreamState(-1)).toThrow(RangeError);
    expect(() => toStreamState(1.5)).toThrow(RangeError);
  });

  it('keeps UUID event ids and derives stable version-8 UUIDs from other ids', () => {
    const uuid = randomUUID();
    expect(kurrentEventId(uuid)).toBe(uuid);
    expect(kurrentEventId(uuid.toUpperCase())).toBe(uuid);
    const derived = kurrentEventId('evt-1');
    expect(derived).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(kurrentEventId('evt-1')).toBe(derived);
    expect(kurrentEventId('evt-2')).not.toBe(derived);
  });

  describe('without a reachable server', () => {
    // Port 1 refuses at once; these paths never need a server.
    const store = KurrentDbEventStore.connect('kurrentdb://127.0.0.1:1?tls=false', { pingTimeoutMs: 2000 });
    afterAll(() => store.close());

    it('refuses reserved names and metadata keys before sending anything', async () => {
      await expect(store.append('$thing', [newEvent()], 'any')).rejects.toBeInstanceOf(Invalid);
      await expect(store.append('thing-1', [newEvent('$Thing')], 'any')).rejects.toBeInstanceOf(Invalid);
      const sneaky = { ...newEvent(), metadata: { ...newEvent().metadata, [LEDGER_EVENT_ID_KEY]: 'x' } };
      await expect(store.append('thing-1', [sneaky], 'any')).rejects.toBeInstanceOf(Invalid);
      await expect(store.append('thing-1', [], 'any')).rejects.toBeInstanceOf(RangeError);
    });

    it('fails ping and reads instead of reporting an empty store', async () => {
      await expect(store.ping()).rejects.toThrow();
      await expect(store.readStream('thing-1')).rejects.toThrow();
      await expect(store.readAll(START)).rejects.toThrow();
    });
  });
});
