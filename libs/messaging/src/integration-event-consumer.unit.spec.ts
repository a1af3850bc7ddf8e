import type { IntegrationEvent } from '#contracts';
import { PgliteDatabase } from '#event-store/adapters';
import type { SqlExecutor } from '#event-store';
import { encodeIntegrationEvent } from './cloud-event-binding.js';
import { DEAD_LETTER_HEADERS, replayDeadLetters } from './dead-letters.js';
import { InProcessMessageBus } from './in-process-message-bus.js';
import { IntegrationEventConsumer } from './integration-event-consumer.js';
import type { ConsumerSpec } from './integration-event-consumer.js';
import type { BusMessage } from './message-bus.js';

const TOPIC = 'approvals.events.v1';

const integration = (id: string, n: number, subject = 'approval-1'): IntegrationEvent => ({
  id,
  type: 'dev.compliance-ledger.approvals.approval-granted.v1',
  source: '/compliance-ledger/approvals',
  subject,
  time: '2026-03-01T10:00:00.000Z',
  topic: TOPIC,
  data: { n },
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('IntegrationEventConsumer (embedded PGlite, in-process bus)', () => {
  let db: PgliteDatabase;
  let bus: InProcessMessageBus;
  let consumers: IntegrationEventConsumer[];
  let failing: Set<number>;
  const applied = async () => (await db.query<{ n: number }>('SELECT n FROM applied ORDER BY seq')).map((r) => r.n);

  /** Records each applied event through the consumer's transaction; fails on demand. */
  const handle = async (event: IntegrationEvent, tx: SqlExecutor) => {
    const n = event.data['n'] as number;
    await tx.query('INSERT INTO applied (n) VALUES ($1)', [n]);
    if (failing.has(n)) throw new Error(`cannot apply ${n}`);
  };
  const start = async (spec: Partial<ConsumerSpec> = {}) => {
    const consumer = new IntegrationEventConsumer(bus, db, {
      name: 'approvals.test',
      topics: [TOPIC],
      handle,
      maxAttempts: 3,
      retryDelayMs: 5,
      ...spec,
    });
    await consumer.start();
    consumers.push(consumer);
    return consumer;
  };
  const deadLetters = () => bus.retained(`${TOPIC}.dlq`);

  beforeAll(async () => {
    db = await PgliteDatabase.open();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.exec(
      'DROP TABLE IF EXISTS applied; CREATE TABLE applied (seq serial PRIMARY KEY, n integer NOT NULL); DROP TABLE IF EXISTS processed_messages;',
    );
    bus = new InProcessMessageBus();
    consumers = [];
    failing = new Set();
  });
  afterEach(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await bus.close();
  });

  it('applies each event once, even when it is delivered again', async () => {
    const consumer = await start();
    await bus.publish([encodeIntegrationEvent(integration('e1', 1)), encodeIntegrationEvent(integration('e2', 2))]);
    await bus.publish([encodeIntegrationEvent(integration('e1', 1)), encodeIntegrationEvent(integration('e3', 3))]);
    await bus.publish([encodeIntegrationEvent(integration('e4', 4)), encodeIntegrationEvent(integration('e4', 4))]);
    expect(await applied()).toEqual([1, 2, 3, 4]);
    expect(consumer.status()).toMatchObject({ processed: 4, duplicates: 2, deadLettered: 0 });
  });

  it('rolls a failed attempt back with its dedupe row, and applies the event when a retry succeeds', async () => {
    let failures = 2;
    await start({
      handle: async (event, tx) => {
        await handle(event, tx);
        if (failures-- > 0) throw new Error('transient');
      },
    });
    await bus.publish([encodeIntegrationEvent(integration('e1', 1))]);
    expect(await applied()).toEqual([1]);
    expect(await db.query("SELECT event_id FROM processed_messages WHERE consumer = 'approvals.test'")).toEqual([{ event_id: 'e1' }]);
  });

  it('sends an event that keeps failing to the dead-letter topic with the error and its headers, and moves on', async () => {
    failing.add(2);
    const consumer = await start();
    const poison = encodeIntegrationEvent(integration('e2', 2, 'approval-9'));
    await bus.publish([encodeIntegrationEvent(integration('e1', 1)), poison, encodeIntegrationEvent(integration('e3', 3))]);
    expect(await applied()).toEqual([1, 3]);
    const [letter] = deadLetters();
    expect(letter).toMatchObject({ topic: `${TOPIC}.dlq`, key: 'approval-9', headers: { ...poison.headers } });
    expect(letter!.value!.equals(poison.value!)).toBe(true);
    expect(letter!.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.error]: 'Error: cannot apply 2',
      [DEAD_LETTER_HEADERS.originalTopic]: TOPIC,
      [DEAD_LETTER_HEADERS.originalOffset]: '1',
      [DEAD_LETTER_HEADERS.consumer]: 'approvals.test',
      [DEAD_LETTER_HEADERS.attempts]: '3',
    });
    expect(consumer.status()).toMatchObject({ processed: 2, deadLettered: 1, lastError: 'cannot apply 2' });
  });

  it('sends a malformed message to the dead-letter topic at once and keeps consuming', async () => {
    await start();
    const garbage: BusMessage = { topic: TOPIC, key: 'x', value: Buffer.from('{"not":'), headers: { origin: 'somebody else' } };
    await bus.publish([garbage, encodeIntegrationEvent(integration('e1', 1))]);
    expect(await applied()).toEqual([1]);
    expect(deadLetters()).toHaveLength(1);
    expect(deadLetters()[0]!.headers).toMatchObject({ origin: 'somebody else', [DEAD_LETTER_HEADERS.attempts]: '0' });
    expect(deadLetters()[0]!.headers[DEAD_LETTER_HEADERS.error]).toMatch(/^MalformedMessage: not a CloudEvent/);
  });

  it('replays dead letters to the original topic without their dlq headers, once each', async () => {
    failing.add(2);
    await start();
    await bus.publish([encodeIntegrationEvent(integration('e1', 1)), encodeIntegrationEvent(integration('e2', 2))]);
    expect(deadLetters()).toHaveLength(1);
    failing.clear();
    expect(await replayDeadLetters(bus, TOPIC)).toBe(1);
    await until(async () => (await applied()).length === 2);
    expect(await applied()).toEqual([1, 2]);
    const replayed = bus.retained(TOPIC)[2]!;
    expect(Object.keys(replayed.headers).filter((h) => h.startsWith('dlq-'))).toEqual([]);
    expect(await replayDeadLetters(bus, TOPIC)).toBe(0);
  });

  it('has consumers of different names each apply every event', async () => {
    await start({ name: 'one' });
    await start({ name: 'two' });
    await bus.publish([encodeIntegrationEvent(integration('e1', 1))]);
    expect(await applied()).toEqual([1, 1]);
  });
});
