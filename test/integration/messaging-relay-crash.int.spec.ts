import { TOPICS } from '#contracts';
import { IntegrationEventConsumer } from '#messaging';
import { KafkaMessageBus } from '#messaging/adapters';
import { PostgresDatabase, SqlEventStore } from '#event-store/adapters';
import { createScratchDatabase, testKafkaBrokers } from '#testing';
import { APPLIED_SCHEMA, appendLoad, appliedReport, kafkaClient, RelayProcess, sleep, uniquePrefix, until } from './messaging-harness.js';

const TOTAL = 10_000;
const TOPIC = TOPICS['access-control'];

/**
 * The relay app runs as a child process and is killed with SIGKILL twice while 10,000 events are
 * appended; a consumer in this process applies what arrives on Kafka.
 */
describe('relay killed with SIGKILL under load (real PostgreSQL and Kafka)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let db: PostgresDatabase;
  let bus: KafkaMessageBus;
  let consumer: IntegrationEventConsumer;
  const relays: RelayProcess[] = [];
  const prefix = uniquePrefix('crash');

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    db = new PostgresDatabase({ connectionString: scratch.url });
  });
  afterAll(async () => {
    await Promise.all(relays.filter((r) => r.running).map((r) => r.kill('SIGTERM')));
    await consumer?.stop();
    await bus?.close();
    await db?.close();
    await scratch?.drop();
  });

  it('delivers every event, keeps per-stream order, and applies each once after dedupe', async () => {
    const store = new SqlEventStore(db);
    await store.migrate();
    await db.exec(APPLIED_SCHEMA);
    bus = new KafkaMessageBus(kafkaClient(), { topicPrefix: prefix, partitions: 3 });
    consumer = new IntegrationEventConsumer(bus, db, {
      name: 'it.crash-consumer',
      topics: [TOPIC],
      concurrency: 3,
      handle: async (event, tx) =>
        void (await tx.query('INSERT INTO applied (event_id, subject) VALUES ($1, $2)', [event.id, event.subject])),
    });
    await consumer.start();

    const env = { DATABASE_URL: scratch.url, KAFKA_BROKERS: testKafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix };
    const checkpoint = async () =>
      (await db.query<{ cursor: string }>("SELECT cursor FROM relay_checkpoints WHERE name = 'integration-events'").catch(() => []))[0]
        ?.cursor ?? null;
    const relay = () => {
      const r = new RelayProcess(env);
      relays.push(r);
      return r;
    };

    // Each relay starts behind (the load runs while it boots, and while no relay runs) and is
    // killed within 50 ms of its first checkpoint, mid catch-up, when a batch it published may not be
    // checkpointed yet (it then arrives twice, and the consumer skips the second copy).
    const load = appendLoad(store, { streams: 200, perSecond: 300, total: TOTAL });
    let current = relay();
    for (let kill = 0; kill < 2; kill++) {
      const before = await checkpoint();
      await until(async () => (await checkpoint()) !== before, 60_000, 'the relay to publish', 5);
      await sleep(Math.random() * 50);
      expect(await current.kill('SIGKILL')).toBe('SIGKILL');
      expect(load.state.appended).toBeLessThan(TOTAL);
      await sleep(2000);
      current = relay();
    }
    await load.done;
    expect(load.state.failures).toEqual([]);
    expect(load.state.appended).toBe(TOTAL);

    await until(async () => (await appliedReport(db)).distinct === TOTAL, 150_000, 'every event applied');
    const report = await appliedReport(db);
    expect(report).toEqual({ applied: TOTAL, distinct: TOTAL, stored: TOTAL, outOfOrder: [] });
    // A relay killed between publishing and checkpointing publishes that batch again: duplicates
    // on the topic, which the consumer skipped by event id.
    const admin = kafkaClient().admin();
    await admin.connect();
    const onTopic = (await admin.fetchTopicOffsets(`${prefix}${TOPIC}`)).reduce((sum, p) => sum + Number(p.high), 0);
    await admin.disconnect();
    const { processed, duplicates } = consumer.status();
    expect(processed).toBe(TOTAL);
    expect(onTopic).toBeGreaterThanOrEqual(TOTAL);
    expect(processed + duplicates).toBe(onTopic);
    expect(relays).toHaveLength(3);
    process.stdout.write(`relay crash test: ${onTopic} messages on the topic for ${TOTAL} events, ${duplicates} duplicates skipped\n`);
  }, 180_000);
});
