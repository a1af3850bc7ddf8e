import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildCdEvent, CdEventTypes, toCloudEventBatch, type CdEvent } from '#cdevents';
import type { AppSpec } from '#platform';
import { createApp, loadConfig } from '#platform';
import { accessControlContext } from '../contexts/access-control/src/index.js';
import { telemetryContext } from '../contexts/telemetry/src/index.js';
import { median, percentile, round, writeResult } from './bench-utils.js';

/**
 * CDEvents ingest throughput through HTTP on PostgreSQL: POST /v1/cdevents with one event per
 * request (SINGLE_CLIENTS concurrent clients) and with batches of 100 (BATCH_CLIENTS clients),
 * every answer given once the events and the access decision that allowed them are committed
 * (synchronous_commit as the server has it); the metrics read model follows on its own, as in
 * production, and is waited for by metrics queries. The server is the Telemetry app's composition
 * (plus Access Control, for tokens) in a child process, on a scratch database; the clients run in
 * this process over keep-alive connections.
 * Baseline in the same run: the very rows ingest stored (read back from `events`), INSERTed into a
 * plain table of the same columns — one autocommit INSERT per row at the single-event concurrency,
 * and one 100-row INSERT per statement at the batch concurrency.
 */

const SINGLE_EVENTS = Number(process.env['BENCH_INGEST_SINGLE_EVENTS'] ?? 2000);
const BATCH_EVENTS = Number(process.env['BENCH_INGEST_BATCH_EVENTS'] ?? 20000);
const BATCH = 100;
const SINGLE_CLIENTS = 16;
const BATCH_CLIENTS = Number(process.env['BENCH_INGEST_BATCH_CLIENTS'] ?? 4);
const RUNS = 3;
const ADMIN = 'bench-bootstrap-admin-token-0123456789';
const SERVER_ROLE = 'cdevents-ingest-server';

const RAW_TABLE = `
CREATE TABLE IF NOT EXISTS raw_events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id text NOT NULL, stream_id text NOT NULL, stream_version integer NOT NULL,
  type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`;

/** Telemetry's production app, with Access Control's module so the bench can issue itself a token. */
const benchApp: AppSpec = {
  name: 'cdevents-ingest-bench',
  title: 'cdevents ingest bench',
  description: 'bench',
  requiresDatabase: true,
  contexts: [accessControlContext, telemetryContext],
};

async function serve(url: string): Promise<void> {
  const config = loadConfig({
    DATABASE_URL: url,
    BOOTSTRAP_ADMIN_TOKEN: ADMIN,
    LOG_LEVEL: 'silent',
    INGEST_RATE_LIMIT: '0',
    BODY_LIMIT_BYTES: String(8 * 1024 * 1024),
  });
  const app = await createApp(benchApp, config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.on('message', (message) => {
    if (message === 'stop') void app.close().then(() => process.exit(0));
  });
  process.send!({ port: address.port });
}

// The same module is the server when forked by startServer.
if (process.env['BENCH_ROLE'] === SERVER_ROLE && process.send) {
  await serve(process.env['BENCH_DATABASE_URL']!);
}

interface Sample {
  readonly eventsPerSecond: number;
  readonly latenciesMs: number[];
}

interface Figure {
  readonly eventsPerSecond: number;
  readonly runsEventsPerSecond: number[];
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function summarise(samples: readonly Sample[]): Figure {
  const latencies = samples.flatMap((s) => s.latenciesMs);
  return {
    eventsPerSecond: round(median(samples.map((s) => s.eventsPerSecond))),
    runsEventsPerSecond: samples.map((s) => round(s.eventsPerSecond)),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
  };
}

/** `clients` loops taking units of work off one queue; each unit is timed. */
async function drive<T>(units: readonly T[], clients: number, eventsPerUnit: number, work: (unit: T) => Promise<void>): Promise<Sample> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < units.length) {
        const unit = units[next++]!;
        const t0 = performance.now();
        await work(unit);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { eventsPerSecond: (units.length * eventsPerUnit) / seconds, latenciesMs: latencies };
}

/** A deployment CDEvent (~700 bytes) with a unique identity. */
const deployment = (tag: string, i: number): CdEvent =>
  buildCdEvent(
    CdEventTypes.ServiceDeployed,
    {
      id: `${tag}-${i}`,
      source: '/cd/argo/payments',
      timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      chainId: `chain-${Math.floor(i / 10)}`,
      subject: {
        id: `service-${i % 20}`,
        content: {
          environment: { id: i % 3 === 0 ? 'production' : 'staging' },
          artifactId: `pkg:oci/service-${i % 20}@sha256:${i.toString(16).padStart(64, '0')}`,
        },
      },
    },
    { validate: false },
  );

async function post(base: string, token: string, headers: Record<string, string>, body: string, expected: number): Promise<void> {
  const res = await fetch(`${base}/v1/cdevents`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${token}` },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`ingest answered ${res.status}: ${text.slice(0, 300)}`);
}

async function setUpPrincipal(base: string): Promise<string> {
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  };
  await call('/v1/projects', { id: 'payments', name: 'Payments' });
  await call('/v1/principals', { id: 'ci-payments', kind: 'pipeline', displayName: 'Payments CI' });
  await call('/v1/role-grants', { principalId: 'ci-payments', role: 'pipeline', project: 'payments', reason: 'bench' });
  return (await call('/v1/principals/ci-payments/tokens', {}))['token']!;
}

interface StoredRow {
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: string;
  metadata: string;
}

/** The rows ingest stored for events whose id starts with `tag`. */
async function storedRows(pool: pg.Pool, tag: string): Promise<StoredRow[]> {
  const result = await pool.query<StoredRow>(
    `SELECT event_id, stream_id, stream_version, type, data::text AS data, metadata::text AS metadata
     FROM events WHERE type = 'CdEventRecorded' AND data->>'id' LIKE $1 ORDER BY global_position`,
    [`${tag}-%`],
  );
  return result.rows;
}

function rawInsert(rows: readonly StoredRow[]): { text: string; values: unknown[] } {
  const tuples = rows.map(
    (_, r) => `($${r * 6 + 1}, $${r * 6 + 2}, $${r * 6 + 3}, $${r * 6 + 4}, $${r * 6 + 5}::jsonb, $${r * 6 + 6}::jsonb)`,
  );
  return {
    text: `INSERT INTO raw_events (event_id, stream_id, stream_version, type, data, metadata) VALUES ${tuples.join(', ')}`,
    values: rows.flatMap((row) => [row.event_id, row.stream_id, row.stream_version, row.type, row.data, row.metadata]),
  };
}

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function withScratchDatabase<T>(url: string, work: (scratchUrl: string) => Promise<T>): Promise<T> {
  const name = `ledger_bench_ingest_${process.pid}_${Date.now()}`;
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

/** The app in its own process, as in production; the clients stay in this one. */
async function startServer(url: string): Promise<{ base: string; stop(): Promise<void> }> {
  // Node 20's V8 aborts ("unreachable code" in Deoptimizer::DoComputeBuiltinContinuation) when
  // it lazily deoptimises a function while inside a JS→Wasm call it inlined: under sustained load
  // this hits the Cedar engine's evaluate() within minutes. createApp turns that inlining off at
  // startup; the flag here also covers what runs before it.
  const execArgv = (process.env['BENCH_SERVER_NODE_OPTIONS'] ?? '--no-turbo-inline-js-wasm-calls').split(' ').filter(Boolean);
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, BENCH_ROLE: SERVER_ROLE, BENCH_DATABASE_URL: url },
    execArgv,
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  let stopping = false;
  // Never leave the server behind, whatever ends this process.
  const killChild = () => child.kill('SIGKILL');
  process.on('exit', killChild);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    // A dead server would leave the clients waiting forever.
    process.stderr.write(`cdevents-ingest bench: the server exited (${code ?? signal}); giving up\n`);
    process.exit(1);
  });
  return {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      stopping = true;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop', () => undefined);
      const timer = setTimeout(killChild, 30_000);
      await exited;
      clearTimeout(timer);
      process.off('exit', killChild);
    },
  };
}

async function benchPostgres(url: string): Promise<Record<string, unknown>> {
  return withScratchDatabase(url, async (scratchUrl) => {
    const server = await startServer(scratchUrl);
    const pool = new pg.Pool({ connectionString: scratchUrl, max: SINGLE_CLIENTS });
    pool.on('error', () => undefined);
    try {
      await pool.query(RAW_TABLE);
      const settings = await pool.query<{ name: string; setting: string }>(
        `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay')`,
      );
      const token = await setUpPrincipal(server.base);
      const runTag = randomUUID().slice(0, 8);
      const json = { 'content-type': 'application/json' };

      // Untimed warm-up of both paths (connections, plans, JIT).
      const warm = Array.from({ length: 500 }, (_, i) => deployment(`${runTag}-warm`, i));
      await drive(warm.slice(0, 100), SINGLE_CLIENTS, 1, (e) => post(server.base, token, json, JSON.stringify(e), 202));
      await drive(chunk(warm.slice(100), BATCH), BATCH_CLIENTS, BATCH, (b) =>
        post(server.base, token, toCloudEventBatch(b).headers, toCloudEventBatch(b).body, 200),
      );

      const single: Sample[] = [];
      const singleRaw: Sample[] = [];
      const batch: Sample[] = [];
      const batchRaw: Sample[] = [];
      for (let run = 0; run < RUNS; run++) {
        process.stderr.write(`cdevents-ingest: run ${run + 1} of ${RUNS}\n`);
        const singleTag = `${runTag}-s${run}`;
        const singles = Array.from({ length: SINGLE_EVENTS }, (_, i) => deployment(singleTag, i)).map((e) => JSON.stringify(e));
        single.push(await drive(singles, SINGLE_CLIENTS, 1, (body) => post(server.base, token, json, body, 202)));
        const singleRows = await storedRows(pool, singleTag);
        if (singleRows.length !== SINGLE_EVENTS) throw new Error(`stored ${singleRows.length} of ${SINGLE_EVENTS} single events`);
        singleRaw.push(await drive(singleRows, SINGLE_CLIENTS, 1, async (row) => void (await pool.query(rawInsert([row])))));

        const batchTag = `${runTag}-b${run}`;
        const batches = chunk(
          Array.from({ length: BATCH_EVENTS }, (_, i) => deployment(batchTag, i)),
          BATCH,
        ).map((b) => toCloudEventBatch(b));
        batch.push(await drive(batches, BATCH_CLIENTS, BATCH, (b) => post(server.base, token, b.headers, b.body, 200)));
        const batchRows = await storedRows(pool, batchTag);
        if (batchRows.length !== BATCH_EVENTS) throw new Error(`stored ${batchRows.length} of ${BATCH_EVENTS} batched events`);
        batchRaw.push(await drive(chunk(batchRows, BATCH), BATCH_CLIENTS, BATCH, async (rows) => void (await pool.query(rawInsert(rows)))));
      }
      const s = summarise(single);
      const sr = summarise(singleRaw);
      const b = summarise(batch);
      const br = summarise(batchRaw);
      return {
        server: Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])),
        single: {
          clients: SINGLE_CLIENTS,
          eventsPerRun: SINGLE_EVENTS,
          ingest: s,
          rawInsert: sr,
          ingestVsRaw: round(s.eventsPerSecond / sr.eventsPerSecond, 2),
        },
        batch100: {
          clients: BATCH_CLIENTS,
          eventsPerRun: BATCH_EVENTS,
          ingest: b,
          rawInsert: br,
          ingestVsRaw: round(b.eventsPerSecond / br.eventsPerSecond, 2),
          goalEventsPerSecond: 5000,
          meetsGoal: b.eventsPerSecond >= 5000,
        },
      };
    } finally {
      await Promise.allSettled([pool.end(), server.stop()]);
    }
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const url = process.env['DATABASE_URL'] ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger_test';
  const postgres = await benchPostgres(url).catch((error: unknown) => ({ failed: String(error) }));
  const figures = {
    runs: RUNS,
    serverNodeOptions: process.env['BENCH_SERVER_NODE_OPTIONS'] ?? '--no-turbo-inline-js-wasm-calls',
    statistic:
      'median events/s of the runs; latency percentiles per HTTP request (single: one event, batch: 100) or per INSERT statement, over all runs',
    baseline:
      'rawInsert: the rows ingest stored, read back and INSERTed into a plain table of the same columns (one row per statement at the single concurrency; 100 rows per statement at the batch concurrency)',
    postgres,
  };
  writeResult('cdevents-ingest', figures);
  return { name: 'cdevents-ingest', node: process.version, resultFile: 'bench/results/cdevents-ingest.json', ...figures };
}
