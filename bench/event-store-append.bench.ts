import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { EventStore, NewEvent } from '#kernel';
import { SqlEventStore, PgliteDatabase, PostgresDatabase } from '#event-store/adapters';
import { median, percentile, round, writeResult } from './bench-utils.js';

/**
 * Event-store append throughput (events/s) of the SQL adapter on PostgreSQL and on embedded PGlite,
 * for 1 and 8 concurrent writers × 1 and 10 events per append. Each writer appends to its own
 * streams with expected versions (a stream takes APPENDS_PER_STREAM appends, then the writer opens
 * a new one), as command handlers do. Baseline in the same run: the same rows as plain multi-row
 * INSERTs (one autocommit statement per batch) into a table of the same columns with no constraint
 * but its primary key, at the same concurrency — the floor any append design pays.
 * Cases alternate adapter/raw and repeat RUNS times; figures are medians.
 */

const EVENTS_PER_CASE = Number(process.env['BENCH_APPEND_EVENTS'] ?? 2400); // divisible by 8 writers × 10
const RUNS = 3;
const WRITERS = [1, 8] as const;
const BATCHES = [1, 10] as const;
const APPENDS_PER_STREAM = 10;
const WARM_UP_EVENTS = 400;

const RAW_TABLE = `
CREATE TABLE IF NOT EXISTS raw_events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id text NOT NULL,
  stream_id text NOT NULL,
  stream_version integer NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
)`;

interface PlannedAppend {
  readonly streamId: string;
  readonly expected: number;
  readonly events: readonly NewEvent[];
}

/** What is measured: one append of a batch, by whatever means. */
type AppendFn = (append: PlannedAppend) => Promise<unknown>;

interface Sample {
  readonly eventsPerSecond: number;
  readonly appendLatenciesMs: number[];
}

interface Figure {
  readonly eventsPerSecond: number;
  readonly runsEventsPerSecond: number[];
  readonly appendP50Ms: number;
  readonly appendP99Ms: number;
}

/** A realistic audit event (~250 bytes of JSON): a gate decision with its metadata. */
function makeEvent(i: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'GateDecided',
    data: { gate: 'deployment', artifact: `sha256:${i.toString(16).padStart(64, '0')}`, allowed: i % 5 !== 0, policyVersion: 'v12' },
    metadata: { actor: `pipeline-${i % 97}`, correlationId: `corr-${i}`, occurredAt: '2026-01-01T12:00:00.000Z', project: 'payments' },
  };
}

/** Per writer, the appends it makes in order: its own streams, versions counted from 0. */
function plan(tag: string, writers: number, batch: number, totalEvents: number): PlannedAppend[][] {
  const appendsPerWriter = totalEvents / writers / batch;
  if (!Number.isInteger(appendsPerWriter)) throw new RangeError(`${totalEvents} events do not split into ${writers} × ${batch}`);
  let n = 0;
  return Array.from({ length: writers }, (_, w) =>
    Array.from({ length: appendsPerWriter }, (_, a) => ({
      streamId: `bench-${tag}-w${w}-s${Math.floor(a / APPENDS_PER_STREAM)}`,
      expected: (a % APPENDS_PER_STREAM) * batch,
      events: Array.from({ length: batch }, () => makeEvent(n++)),
    })),
  );
}

/** Runs every writer's appends concurrently (each writer waits for its previous append). */
async function drive(plans: PlannedAppend[][], append: AppendFn): Promise<Sample> {
  const latencies: number[] = [];
  const events = plans.flat().reduce((sum, a) => sum + a.events.length, 0);
  const start = performance.now();
  await Promise.all(
    plans.map(async (appends) => {
      for (const a of appends) {
        const t0 = performance.now();
        await append(a);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { eventsPerSecond: events / seconds, appendLatenciesMs: latencies };
}

function summarise(samples: readonly Sample[]): Figure {
  const latencies = samples.flatMap((s) => s.appendLatenciesMs);
  return {
    eventsPerSecond: round(median(samples.map((s) => s.eventsPerSecond))),
    runsEventsPerSecond: samples.map((s) => round(s.eventsPerSecond)),
    appendP50Ms: round(percentile(latencies, 50), 2),
    appendP99Ms: round(percentile(latencies, 99), 2),
  };
}

/** `INSERT … VALUES (…), (…)` with 6 parameters a row; text cached per batch size. */
const insertTexts = new Map<number, string>();
function rawInsert(batch: number): string {
  let text = insertTexts.get(batch);
  if (!text) {
    const rows = Array.from({ length: batch }, (_, r) => {
      const p = r * 6;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb, $${p + 6}::jsonb)`;
    });
    text = `INSERT INTO raw_events (event_id, stream_id, stream_version, type, data, metadata) VALUES ${rows.join(', ')}`;
    insertTexts.set(batch, text);
  }
  return text;
}

function rawParams(a: PlannedAppend): unknown[] {
  return a.events.flatMap((e, i) => [
    e.eventId,
    a.streamId,
    a.expected + i + 1,
    e.type,
    JSON.stringify(e.data),
    JSON.stringify(e.metadata),
  ]);
}

interface Target {
  readonly store: EventStore;
  readonly raw: (sql: string, params: unknown[]) => Promise<unknown>;
}

async function benchTarget(target: Target, runTag: string): Promise<Record<string, unknown>[]> {
  const adapterAppend: AppendFn = (a) => target.store.append(a.streamId, a.events, a.expected);
  const rawAppend: AppendFn = (a) => target.raw(rawInsert(a.events.length), rawParams(a));
  const cases: Record<string, unknown>[] = [];
  for (const writers of WRITERS) {
    // Untimed: opens the pool's connections and warms plans and caches.
    await drive(plan(`${runTag}-warm-w${writers}`, writers, 10, WARM_UP_EVENTS), adapterAppend);
    await drive(plan(`${runTag}-rawwarm-w${writers}`, writers, 10, WARM_UP_EVENTS), rawAppend);
    for (const batch of BATCHES) {
      const adapter: Sample[] = [];
      const raw: Sample[] = [];
      for (let run = 0; run < RUNS; run++) {
        // Alternating spreads drift (autovacuum, checkpoints, neighbours) over both sides evenly.
        adapter.push(await drive(plan(`${runTag}-a-w${writers}-b${batch}-r${run}`, writers, batch, EVENTS_PER_CASE), adapterAppend));
        raw.push(await drive(plan(`${runTag}-r-w${writers}-b${batch}-r${run}`, writers, batch, EVENTS_PER_CASE), rawAppend));
      }
      const a = summarise(adapter);
      const r = summarise(raw);
      cases.push({ writers, batch, adapter: a, rawInsert: r, adapterVsRaw: round(a.eventsPerSecond / r.eventsPerSecond, 2) });
    }
  }
  return cases;
}

/** A throw-away database beside DATABASE_URL's, so the bench never touches the test data. */
async function withScratchDatabase<T>(url: string, work: (scratchUrl: string) => Promise<T>): Promise<T> {
  const name = `ledger_bench_${process.pid}_${Date.now()}`;
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

async function benchPostgres(url: string, runTag: string): Promise<Record<string, unknown>> {
  return withScratchDatabase(url, async (scratchUrl) => {
    const db = new PostgresDatabase({ connectionString: scratchUrl, maxConnections: 8 });
    const pool = new pg.Pool({ connectionString: scratchUrl, max: 8 });
    // DROP … WITH (FORCE) may reach a connection pool.end() has let go of but not yet closed.
    pool.on('error', () => undefined);
    try {
      const store = new SqlEventStore(db);
      await store.migrate();
      await pool.query(RAW_TABLE);
      const settings = await pool.query<{ name: string; setting: string }>(
        `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay')`,
      );
      const cases = await benchTarget({ store, raw: (sql, params) => pool.query(sql, params) }, runTag);
      return { server: Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])), cases };
    } finally {
      await Promise.allSettled([db.close(), pool.end()]);
    }
  });
}

async function benchPglite(runTag: string): Promise<Record<string, unknown>> {
  // On disk, like the embedded default (./data); one instance each, as PGlite is single-connection.
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-pglite-'));
  const db = await PgliteDatabase.open(join(dir, 'adapter'));
  const raw = await PGlite.create(join(dir, 'raw'));
  try {
    const store = new SqlEventStore(db);
    await store.migrate();
    await raw.exec(RAW_TABLE);
    const cases = await benchTarget({ store, raw: (sql, params) => raw.query(sql, params) }, runTag);
    return { storage: 'data directory (temporary)', cases };
  } finally {
    await Promise.allSettled([db.close(), raw.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const url = process.env['DATABASE_URL'] ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger_test';
  const runTag = randomUUID().slice(0, 8);
  const postgres = await benchPostgres(url, runTag).catch((error: unknown) => ({ skipped: `PostgreSQL unavailable: ${String(error)}` }));
  const pglite = await benchPglite(runTag);
  const figures = {
    eventsPerCase: EVENTS_PER_CASE,
    runs: RUNS,
    statistic: 'median events/s of the runs; append latency percentiles over all runs',
    appendsPerStream: APPENDS_PER_STREAM,
    baseline: 'rawInsert: the same rows, one autocommit multi-row INSERT per batch, plain table of the same columns',
    postgres,
    pglite,
  };
  writeResult('event-store-append', figures);
  return { name: 'event-store-append', node: process.version, resultFile: 'bench/results/event-store-append.json', ...figures };
}
