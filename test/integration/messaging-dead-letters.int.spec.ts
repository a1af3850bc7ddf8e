import type { IntegrationEvent } from '#contracts';
import type { ReceivedMessage } from '#messaging';
import { DEAD_LETTER_HEADERS, encodeIntegrationEvent, IntegrationEventConsumer, replayDeadLetters } from '#messaging';
import { KafkaMessageBus } from '#messaging/adapters';
import { PostgresDatabase } from '#event-store/adapters';
import { createScratchDatabase } from '#testing';
import { kafkaClient, uniquePrefix, until } from './messaging-harness.js';

const TOPIC = 'approvals.events.v1';

const event = (id: string, n: number): IntegrationEvent => ({
  id,
  type: 'dev.compliance-ledger.approvals.approval-granted.v1',
  source: '/compliance-ledger/approvals',
  subject: `approval-${n}`,
  time: '2026-03-01T10:00:00.000Z',
  topic: TOPIC,
  data: { n },
});

/** Poison messages on a real topic: what cannot be read or keeps failing goes to `<topic>.dlq`. */
describe('dead letters on Kafka (real PostgreSQL and Kafka)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let db: PostgresDatabase;
  let bus: KafkaMessageBus;
  let consumer: IntegrationEventConsumer;
  const prefix = uniquePrefix('dlq');
  const kafka = kafkaClient();
  const producer = kafka.producer();
  let refuse = new Set<number>([3]);
  const applied = async () => (await db.query<{ n: number }>('SELECT n FROM applied_numbers ORDER BY n')).map((r) => r.n);

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    db = new PostgresDatabase({ connectionString: scratch.url });
    await db.exec('CREATE TABLE applied_numbers (n integer NOT NULL)');
    bus = new KafkaMessageBus(kafka, { topicPrefix: prefix, partitions: 1 });
    await producer.connect();
  });
  afterAll(async () => {
    await consumer?.stop();
    await bus?.close();
    await producer.disconnect();
    await db?.close();
    await scratch?.drop();
  });

  it('dead-letters a malformed and a failing message with their headers, keeps consuming, and replays them', async () => {
    consumer = new IntegrationEventConsumer(bus, db, {
      name: 'it.dlq-consumer',
      topics: [TOPIC],
      maxAttempts: 3,
      retryDelayMs: 20,
      handle: async (e, tx) => {
        const n = e.data['n'] as number;
        if (refuse.has(n)) throw new Error(`refusing ${n}`);
        await tx.query('INSERT INTO applied_numbers (n) VALUES ($1)', [n]);
      },
    });
    await consumer.start();

    // Produced straight with kafkajs, as any other client could: one garbage message among good ones.
    const wire = (e: IntegrationEvent) => {
      const m = encodeIntegrationEvent(e);
      return { key: m.key, value: m.value, headers: { ...m.headers } };
    };
    await producer.send({
      topic: `${prefix}${TOPIC}`,
      messages: [
        wire(event('e1', 1)),
        { key: 'junk', value: Buffer.from([0xff, 0x00, 0x7b]), headers: { 'x-origin': 'a misconfigured producer' } },
        wire(event('e2', 2)),
        wire(event('e3', 3)),
        wire(event('e4', 4)),
      ],
    });

    await until(async () => (await applied()).length === 3, 60_000, 'the good messages');
    expect(await applied()).toEqual([1, 2, 4]);
    expect(consumer.status()).toMatchObject({ processed: 3, deadLettered: 2 });

    const letters: ReceivedMessage[] = [];
    const drainAll = () =>
      bus.drain({ group: 'it.dlq-reader', topic: `${TOPIC}.dlq`, limit: 100, handle: async (m) => void letters.push(m) });
    expect(await drainAll()).toBe(2);
    const [junk, failed] = letters;
    expect(junk).toMatchObject({
      key: 'junk',
      headers: { 'x-origin': 'a misconfigured producer', [DEAD_LETTER_HEADERS.attempts]: '0', [DEAD_LETTER_HEADERS.originalOffset]: '1' },
    });
    expect(junk!.value).toEqual(Buffer.from([0xff, 0x00, 0x7b]));
    expect(junk!.headers[DEAD_LETTER_HEADERS.error]).toMatch(/^MalformedMessage: /);
    expect(failed!.headers).toMatchObject({
      ...encodeIntegrationEvent(event('e3', 3)).headers,
      [DEAD_LETTER_HEADERS.error]: 'Error: refusing 3',
      [DEAD_LETTER_HEADERS.attempts]: '3',
      [DEAD_LETTER_HEADERS.originalTopic]: TOPIC,
      [DEAD_LETTER_HEADERS.consumer]: 'it.dlq-consumer',
    });

    // Fixed: the replay applies the failed event; the garbage fails again and is dead-lettered anew.
    refuse = new Set();
    expect(await replayDeadLetters(bus, TOPIC)).toBe(2);
    await until(async () => (await applied()).length === 4, 60_000, 'the replayed event');
    expect(await applied()).toEqual([1, 2, 3, 4]);
    await until(async () => consumer.status().deadLettered === 3, 30_000, 'the garbage back in the dead-letter topic');
    expect(await replayDeadLetters(bus, TOPIC, 10)).toBe(1);
    await until(async () => consumer.status().deadLettered === 4, 30_000, 'the garbage dead-lettered once more');
    expect(consumer.status().processed).toBe(4);
  }, 150_000);
});
