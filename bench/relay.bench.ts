import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Message } from 'kafkajs';
import pg from 'pg';
import type { EventStore, NewEvent } from '#kernel';
import { START } from '#kernel';
import { TOPICS } from '#contracts';
import { encodeIntegrationEvent, EventRelay, IntegrationEventConsumer, IntegrationEventRegistry, sqlStoreBacklog } from '#messaging';
import { KafkaMessageBus } from '#messaging/adapters';
import type { BusMessage } from '#messaging';
import { SqlEventStore, PostgresDatabase } from '#event-store/adapters';
import { accessControlIntegrationEvents } from '../contexts/access-control/src/access-control.integration-events.js';
import { telemetryIntegrationEvents } from '../contexts/telemetry/src/telemetry.integration-events.js';
import { median, percentile, round, writeResult } from './bench-utils.js';

const registry = new IntegrationEventRegistry([accessControlIntegrationEvents, telemetryIntegrationEvents]);

/**
 * The relay from the PostgreSQL event store to Kafka, with its baseline measured in the same run:
 * kafkajs publishing the very same CloudEvents messages directly (idempotent producer, acks=all,
 * the same batches), i.e. what Kafka and kafkajs cost without the store, the subscription and the
 * checkpoint.
 *
 * - throughput: THROUGHPUT_EVENTS Access Control events already in the store, relayed from the
 *   start (events/s until the checkpoint reaches the head), against the direct sends; RUNS
 *   alternating runs, medians.
 * - end-to-end latency at RATE events/s for LATENCY_SECONDS: append → the consumer's handler runs
 *   (IntegrationEventConsumer: dedupe row and handler in one transaction), taken from the
 *   CloudEvent's time (the append's start). Three ways: the relay woken by the appends (as in the
 *   process that appends), the relay finding them on its 200 ms poll (as in another process), and
 *   the baseline producing the same messages straight to Kafka at the same rate into the same
 *   consumer. Writers, relay and consumer each have their own connection pool.
 */

const THROUGHPUT_EVENTS = Number(process.env['BENCH_RELAY_EVENTS'] ?? 20_000);
const RUNS = 3;
const RATE = 1000;
const LATENCY_SECONDS = Number(process.env['BENCH_RELAY_SECONDS'] ?? 10);
const STREAMS = 200;
const BATCH = 500;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function grantEvent(stream: number, version: number, occurredAt = new Date().toISOString()): NewEvent {
  const grant = { grantId: `bench-${stream}`, principalId: `user-${stream}`, role: 'developer', project: 'payments' };
  return {
    eventId: randomUUID(),
    type: version % 2 === 1 ? 'RoleGranted' : 'RoleRevoked',
    data:
      version % 2 === 1
        ? { ...grant, reason: 'bench', grantedBy: 'admin', expiresAt: null }
        : { ...grant, reason: 'bench', revokedBy: 'admin' },
    metadata: { actor: 'admin', correlationId: randomUUID(), occurredAt, context: 'access-control', project: 'payments' },
  };
}

async function withScratchDatabase<T>(url: string, work: (scratchUrl: string) => Promise<T>): Promise<T> {
  const name = `ledger_bench_relay_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const scratch = new URL(url);
    scratch.pathname = `/${name}`;
    try {
      return await work(scratch.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

const toKafka = (m: BusMessage): Message => ({ key: m.key, value: m.value, headers: { ...m.headers } });

/** Relays the whole store from the start under a fresh checkpoint; events/s until caught up. */
async function relayThroughput(store: EventStore, db: PostgresDatabase, bus: KafkaMessageBus, head: string): Promise<number> {
  const relay = new EventRelay(store, db, bus, { name: `bench-${randomUUID()}`, registry, batchSize: BATCH });
  const started = performance.now();
  await relay.start();
  while (relay.status().cursor !== head) await sleep(2);
  const seconds = (performance.now() - started) / 1000;
  await relay.stop();
  return THROUGHPUT_EVENTS / seconds;
}

/** The same messages, already mapped and encoded, sent with kafkajs in the same batches. */
async function directThroughput(kafka: Kafka, topic: string, messages: readonly BusMessage[]): Promise<number> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const started = performance.now();
  for (let i = 0; i < messages.length; i += BATCH) {
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: messages.slice(i, i + BATCH).map(toKafka) }] });
  }
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return messages.length / seconds;
}

/** Calls `tick(i)` RATE times a second for LATENCY_SECONDS, never overlapping more than 64 at once. */
async function paced(tick: (i: number) => Promise<void>): Promise<{ sent: number; seconds: number }> {
  const total = RATE * LATENCY_SECONDS;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const p = tick(i).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 64) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return { sent: total, seconds: (performance.now() - started) / 1000 };
}

interface LatencyFigure {
  readonly eventsPerSecondAchieved: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly samples: number;
}

/** Runs a consumer on `topic`, drives `produce` at RATE, and collects append → handled latencies. */
async function latency(
  db: PostgresDatabase,
  bus: KafkaMessageBus,
  name: string,
  produce: (i: number) => Promise<void>,
): Promise<LatencyFigure> {
  const latencies: number[] = [];
  const consumer = new IntegrationEventConsumer(bus, db, {
    name: `bench.${name}.${randomBytes(3).toString('hex')}`,
    topics: [TOPICS['access-control']],
    fromBeginning: false,
    concurrency: 3,
    handle: async (event) => void latencies.push(Date.now() - Date.parse(event.time)),
  });
  await consumer.start();
  await sleep(1500); // the group has its partitions before the clock starts
  const { sent, seconds } = await paced(produce);
  const deadline = Date.now() + 30_000;
  while (latencies.length < sent && Date.now() < deadline) await sleep(20);
  await consumer.stop();
  return {
    eventsPerSecondAchieved: round(sent / seconds),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
    samples: latencies.length,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const url = process.env['DATABASE_URL'] ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger_test';
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  const kafka = new Kafka({ clientId: 'ledger-bench', brokers, logLevel: logLevel.NOTHING, requestTimeout: 10_000 });
  const prefix = `bench-${randomBytes(4).toString('hex')}.`;
  const topic = `${prefix}${TOPICS['access-control']}`;
  const figures = await withScratchDatabase(url, async (scratchUrl) => {
    const db = new PostgresDatabase({ connectionString: scratchUrl, maxConnections: 10 });
    const bus = new KafkaMessageBus(kafka, { topicPrefix: prefix, partitions: 3 });
    try {
      const store = new SqlEventStore(db);
      await store.migrate();
      await bus.ensureTopics([TOPICS['access-control']]);

      // Throughput: the events are in the store before either side is timed.
      const perStream = THROUGHPUT_EVENTS / STREAMS;
      for (let s = 0; s < STREAMS; s++) {
        await store.append(
          `rolegrant-bench-${s}`,
          Array.from({ length: perStream }, (_, v) => grantEvent(s, v + 1)),
          'no_stream',
        );
      }
      const stored = await store.readAll(START, { limit: THROUGHPUT_EVENTS });
      const head = stored[stored.length - 1]!.cursor;
      const messages = stored.map((e) => encodeIntegrationEvent(registry.map(e)!));
      const relayRuns: number[] = [];
      const directRuns: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        directRuns.push(await directThroughput(kafka, topic, messages));
        relayRuns.push(await relayThroughput(store, db, bus, head));
      }
      const relayEps = median(relayRuns);
      const directEps = median(directRuns);

      // Latency: each tick appends (or sends) one event stamped with the time it was made. Writers,
      // relay and consumer have connections of their own, as separate processes would.
      const writerDb = new PostgresDatabase({ connectionString: scratchUrl, maxConnections: 10 });
      const consumerDb = new PostgresDatabase({ connectionString: scratchUrl, maxConnections: 10 });
      const writerStore = new SqlEventStore(writerDb);
      const versions = new Array<number>(STREAMS).fill(perStream);
      const appendTick = async (i: number) => {
        const s = i % STREAMS;
        const v = ++versions[s]!;
        await writerStore.append(`rolegrant-bench-${s}`, [grantEvent(s, v)], 'any');
      };
      // Reads through the relay's connections but hears of the writers' appends at once, as the
      // relay does in the process that appends; a relay elsewhere finds them on its 200 ms poll.
      const woken: EventStore = {
        append: (stream, events, expected) => store.append(stream, events, expected),
        streamVersion: (stream) => store.streamVersion(stream),
        readStream: (stream, from) => store.readStream(stream, from),
        readAll: (after, options) => store.readAll(after, options),
        waitForAppend: (ms) => writerStore.waitForAppend(ms),
        isEmpty: () => store.isEmpty(),
        ping: () => store.ping(),
        close: async () => undefined,
      };
      const live = async (name: string, relayStore: EventStore) => {
        const relay = new EventRelay(relayStore, db, bus, { name, registry, backlog: sqlStoreBacklog(db) });
        await relay.start();
        while ((await relay.measureLag()) !== 0) await sleep(50); // past what is stored, before the clock starts
        const figure = await latency(consumerDb, bus, name, appendTick);
        await relay.stop();
        return figure;
      };
      const sameProcess = await live('bench-woken', woken);
      const otherProcess = await live('bench-polling', store);
      await writerDb.close();

      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      // One send at a time, like the relay's producer (kafkajs' idempotent producer needs it); what
      // arrives meanwhile goes in the next send, as the relay batches what it reads.
      let pending: { message: BusMessage; sent: () => void; failed: (e: unknown) => void }[] = [];
      let sending = false;
      const flush = () => {
        if (sending || pending.length === 0) return;
        sending = true;
        const batch = pending;
        pending = [];
        producer
          .send({ topic, acks: -1, messages: batch.map((b) => toKafka(b.message)) })
          .then(
            () => batch.forEach((b) => b.sent()),
            (e: unknown) => batch.forEach((b) => b.failed(e)),
          )
          .finally(() => {
            sending = false;
            flush();
          });
      };
      const direct = await latency(consumerDb, bus, 'direct', (i) => {
        const template = messages[i % messages.length]!;
        const message = { ...template, headers: { ...template.headers, ce_id: randomUUID(), ce_time: new Date().toISOString() } };
        return new Promise<void>((sent, failed) => {
          pending.push({ message, sent, failed });
          flush();
        });
      });
      await producer.disconnect();
      await consumerDb.close();

      return {
        throughput: {
          events: THROUGHPUT_EVENTS,
          batch: BATCH,
          relayEventsPerSecond: round(relayEps),
          directKafkajsEventsPerSecond: round(directEps),
          relayToDirectRatio: round(relayEps / directEps, 2),
          runs: { relay: relayRuns.map((x) => round(x)), direct: directRuns.map((x) => round(x)) },
        },
        latency: {
          targetEventsPerSecond: RATE,
          seconds: LATENCY_SECONDS,
          relayWokenByAppend: sameProcess,
          relayPollingOtherProcess: otherProcess,
          directKafkajs: direct,
          p50RatioRelayToDirect: round(sameProcess.p50Ms / Math.max(direct.p50Ms, 1), 2),
        },
      };
    } finally {
      await bus.close();
      await db.close();
    }
  });
  const result = {
    baseline:
      'kafkajs idempotent producer (acks=all) sending the same CloudEvents messages directly, same batches / same rate, same consumer',
    kafkaPartitions: 3,
    ...figures,
  };
  writeResult('relay', result);
  return { name: 'relay', node: process.version, resultFile: 'bench/results/relay.json', ...result };
}
