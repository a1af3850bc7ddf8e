import { TOPICS } from '#contracts';
import { EventRelay, IntegrationEventConsumer, IntegrationEventRegistry, MessagingMetrics, sqlStoreBacklog } from '#messaging';
import { KafkaMessageBus } from '#messaging/adapters';
import { PostgresDatabase, SqlEventStore } from '#event-store/adapters';
import { createScratchDatabase } from '#testing';
import { Registry } from 'prom-client';
import { accessControlIntegrationEvents } from '../../contexts/access-control/src/index.js';
import { telemetryIntegrationEvents } from '../../contexts/telemetry/src/index.js';
import { APPLIED_SCHEMA, appendLoad, appliedReport, kafkaClient, kafkaService, sleep, uniquePrefix, until } from './messaging-harness.js';

const TOPIC = TOPICS['access-control'];
const OUTAGE_MS = 30_000;

/** Stops the shared broker for 30 s while events are appended; always starts it again. */
describe('Kafka broker stopped for 30 s under load (real PostgreSQL and Kafka)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let db: PostgresDatabase;
  let bus: KafkaMessageBus;
  let relay: EventRelay;
  let consumer: IntegrationEventConsumer;
  const prefix = uniquePrefix('outage');

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    db = new PostgresDatabase({ connectionString: scratch.url });
  });
  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await bus?.close();
    await db?.close();
    await scratch?.drop();
  });

  it('keeps accepting writes, reports the relay behind, then catches up with nothing lost or doubled', async () => {
    const store = new SqlEventStore(db);
    await store.migrate();
    await db.exec(APPLIED_SCHEMA);
    const metrics = new MessagingMetrics(new Registry());
    bus = new KafkaMessageBus(kafkaClient(), { topicPrefix: prefix, partitions: 3 });
    await bus.ensureTopics([TOPIC]);
    relay = new EventRelay(store, db, bus, {
      registry: new IntegrationEventRegistry([accessControlIntegrationEvents, telemetryIntegrationEvents]),
      backlog: sqlStoreBacklog(db),
      metrics,
      lagIntervalMs: 500,
    });
    consumer = new IntegrationEventConsumer(
      bus,
      db,
      {
        name: 'it.outage-consumer',
        topics: [TOPIC],
        concurrency: 3,
        handle: async (event, tx) =>
          void (await tx.query('INSERT INTO applied (event_id, subject) VALUES ($1, $2)', [event.id, event.subject])),
      },
      { metrics },
    );
    await consumer.start();
    await relay.start();

    const load = appendLoad(store, { streams: 100, perSecond: 150, batch: 3 });
    let appendedDuringOutage: number;
    let lagDuringOutage: number;
    try {
      await until(async () => (await appliedReport(db)).distinct > 300, 30_000, 'events flowing before the outage');
      kafkaService('kafka-stop');
      const before = load.state.appended;
      await sleep(OUTAGE_MS);
      appendedDuringOutage = load.state.appended - before;
      lagDuringOutage = (await relay.measureLag()) ?? 0;
      expect(relay.status().error).not.toBeNull();
    } finally {
      const t = Date.now();
      kafkaService('kafka-start');
      process.stdout.write(`kafka outage test: broker back after ${Date.now() - t} ms\n`);
    }
    await sleep(5000);
    await load.stop();

    // The store took writes all along, and the relay knew how far behind it was.
    expect(load.state.failures).toEqual([]);
    expect(appendedDuringOutage).toBeGreaterThan(3000);
    expect(lagDuringOutage).toBeGreaterThan(3000);

    const total = load.state.appended;
    const recovering = Date.now();
    await until(async () => (await appliedReport(db)).distinct === total, 120_000, 'every event applied after the outage');
    expect(await appliedReport(db)).toEqual({ applied: total, distinct: total, stored: total, outOfOrder: [] });
    expect(await relay.measureLag()).toBe(0);
    expect(relay.status()).toMatchObject({ role: 'active', error: null });
    expect((await metrics.relayLag.get()).values[0]?.value).toBe(0);
    process.stdout.write(
      `kafka outage test: ${appendedDuringOutage} events appended during the outage (relay lag ${lagDuringOutage}); all ${total} applied ${Date.now() - recovering} ms after the load stopped\n`,
    );
  }, 180_000);
});
