import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { EventStore, RecordedEvent } from '#kernel';
import { START } from '#kernel';
import { SqlEventStore, InProcessLock, PgliteDatabase, PostgresDatabase } from '#event-store/adapters';
import type { SqlDatabase } from '#event-store';
import { LogIntegrityError, SealStore, SealedLog, Sealer, canonicalLeafJson, verifyStoredLog } from '../contexts/audit/src/log/index.js';
import { generateSigningKeyPair } from '#transparency-log';
import { median, percentile, round } from './bench-utils.js';

/**
 * The audit-log sealer end to end, on PostgreSQL and on embedded PGlite: events/s through the real
 * Sealer (read from the store in commit order, canonicalise, hash, Merkle tree, sign one checkpoint
 * per 1,000 events, commit leaves + checkpoint + cursor per batch), against two baselines measured
 * in the same run over the same events: SHA-256 of the same canonical bytes, and a read-only pass
 * (readAll + canonicalise + SHA-256, nothing written). Then, on the sealed log: the start-up rebuild
 * of the in-memory tree from the stored leaf hashes, an inclusion proof as the endpoint computes it
 * (checkpoint read, leaf looked up by position, path from the tree), and POST /v1/audit/verify's
 * full verification (every event re-read and re-hashed, compared with the stored leaves and the
 * signed root). The pure in-memory parts at 1M leaves are in merkle.bench.ts.
 */

const POSTGRES_EVENTS = Number(process.env['BENCH_SEALER_PG_EVENTS'] ?? 1_000_000);
const PGLITE_EVENTS = Number(process.env['BENCH_SEALER_PGLITE_EVENTS'] ?? 100_000);
const PROOFS = 1000;
const HASH_RUNS = 3;
const ORIGIN = 'bench.compliance-ledger/audit';
const keys = generateSigningKeyPair();

/** Events straight into the table (a fixture, not the append path), ~300 canonical bytes each, in transactions of 10k. */
async function loadEvents(db: SqlDatabase, count: number): Promise<void> {
  for (let start = 0; start < count; start += 10_000) {
    await db.query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
       SELECT 'evt-' || lpad(to_hex(g), 12, '0'), 'artifact-' || (g % 9973), g / 9973 + 1, 'GateDecided',
              jsonb_build_object('gate', 'deployment', 'artifact', 'sha256:' || md5(g::text), 'allowed', g % 5 <> 0, 'policyVersion', 'v12'),
              jsonb_build_object('actor', 'pipeline-' || (g % 97), 'correlationId', 'corr-' || g, 'occurredAt', '2026-01-01T12:00:00.000Z', 'project', 'payments')
       FROM generate_series($1::int, $2::int) AS g`,
      [start, Math.min(count, start + 10_000) - 1],
    );
  }
}

async function* allEvents(store: EventStore): AsyncGenerator<RecordedEvent[]> {
  for (
    let page = await store.readAll(START, { limit: 1000 });
    page.length > 0;
    page = await store.readAll(page[page.length - 1]!.cursor, { limit: 1000 })
  ) {
    yield page;
  }
}

/** The baselines: one read-only pass timed as a whole, with its hashing also timed on its own. */
async function baselines(store: EventStore, count: number) {
  let sink = 0;
  const sha256Ms: number[] = Array.from({ length: HASH_RUNS }, () => 0);
  let canonicalMs = 0;
  const passStart = performance.now();
  let seen = 0;
  for await (const page of allEvents(store)) {
    let start = performance.now();
    const texts = page.map(canonicalLeafJson);
    canonicalMs += performance.now() - start;
    for (let run = 0; run < HASH_RUNS; run++) {
      start = performance.now();
      for (const text of texts) sink += hash('sha256', text, 'binary').length;
      sha256Ms[run]! += performance.now() - start;
    }
    seen += page.length;
  }
  // The read-only pass, counted with one hashing run (the others are repeats for the median).
  const passMs = performance.now() - passStart - (sha256Ms.reduce((a, b) => a + b, 0) - sha256Ms[0]!);
  if (seen !== count || sink === 0) throw new Error(`baseline pass read ${seen} of ${count} events`);
  return {
    sha256EventsPerSecond: perSecond(count, median(sha256Ms)),
    canonicalisationEventsPerSecond: perSecond(count, canonicalMs),
    readCanonicaliseSha256EventsPerSecond: perSecond(count, passMs),
  };
}

async function benchTarget(db: SqlDatabase, count: number): Promise<Record<string, unknown>> {
  const store = new SqlEventStore(db);
  await store.migrate();
  const loadStart = performance.now();
  await loadEvents(db, count);
  // Sets hint bits and statistics now, so the first timed pass over the rows does not pay for them.
  await db.query('VACUUM ANALYZE events');
  const loadSeconds = round((performance.now() - loadStart) / 1000, 1);
  const base = await baselines(store, count);

  const sealStore = new SealStore(db);
  await sealStore.migrate();
  const trust = { publicKey: keys.publicKey, origin: ORIGIN };
  const log = new SealedLog(sealStore, trust);
  // The production settings: batches of up to 1,000 events, at most one partial batch per 250 ms.
  const sealer = new Sealer({
    store,
    log,
    lock: new InProcessLock(db),
    signingKey: keys.privateKey,
    origin: ORIGIN,
    batchSize: 1000,
    batchIntervalMs: 250,
  });
  const sealStart = performance.now();
  sealer.start();
  await sealer.waitForTreeSize(count, 3_600_000);
  const sealMs = performance.now() - sealStart;
  await sealer.stop();
  const sealRate = perSecond(count, sealMs);

  // A restarted process: the tree rebuilt from the stored leaf hashes, checked against the checkpoint.
  const rebuilt = new SealedLog(sealStore, trust);
  const rebuildStart = performance.now();
  const checkpoint = await rebuilt.latest();
  const rebuildMs = performance.now() - rebuildStart;
  if (checkpoint?.treeSize !== count) throw new LogIntegrityError('the rebuilt log does not cover the sealed events');

  const positions = (
    await db.query<{ position: string }>('SELECT position FROM audit_log_leaves WHERE leaf_index % $1 = 0 LIMIT $2', [
      Math.max(1, Math.floor(count / PROOFS)),
      PROOFS,
    ])
  ).map((r) => Number(r.position));
  const proofUs: number[] = [];
  for (const position of positions) {
    const start = performance.now();
    const latest = (await rebuilt.latest())!;
    const leaf = (await sealStore.leafByPosition(position))!;
    const path = rebuilt.tree.inclusionProof(leaf.leafIndex, latest.treeSize);
    proofUs.push((performance.now() - start) * 1000);
    if (path.length === 0 && count > 1) throw new Error('empty inclusion proof');
  }

  const verifyStart = performance.now();
  const verification = await verifyStoredLog(store, sealStore, trust);
  const verifyMs = performance.now() - verifyStart;
  if (verification?.ok !== true || verification.checkedEvents !== count)
    throw new Error(`verification failed: ${JSON.stringify(verification)}`);

  const [{ bytes }] = (await db.query<{ bytes: string }>(
    `SELECT pg_total_relation_size('audit_log_leaves') + pg_total_relation_size('audit_log_checkpoints') AS bytes`,
  )) as [{ bytes: string }];
  return {
    events: count,
    fixtureLoadSeconds: loadSeconds,
    baseline: base,
    sealing: {
      eventsPerSecond: sealRate,
      seconds: round(sealMs / 1000, 2),
      ratioToSha256: round(sealRate / base.sha256EventsPerSecond, 4),
      ratioToReadOnlyPass: round(sealRate / base.readCanonicaliseSha256EventsPerSecond, 3),
      checkpoints: (await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_log_checkpoints')).map((r) => Number(r.n))[0],
      storedBytesPerEvent: round(Number(bytes) / count, 1),
    },
    restartRebuildSeconds: round(rebuildMs / 1000, 2),
    inclusionProofAsServed: {
      medianMicroseconds: round(median(proofUs), 1),
      p99Microseconds: round(percentile(proofUs, 99), 1),
      samples: proofUs.length,
    },
    fullVerification: { seconds: round(verifyMs / 1000, 2), eventsPerSecond: perSecond(count, verifyMs) },
  };
}

async function benchPostgres(url: string): Promise<Record<string, unknown>> {
  const name = `ledger_bench_sealer_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const scratch = new URL(url);
    scratch.pathname = `/${name}`;
    const db = new PostgresDatabase({ connectionString: scratch.toString() });
    try {
      return await benchTarget(db, POSTGRES_EVENTS);
    } finally {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

async function benchPglite(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-sealer-'));
  const db = await PgliteDatabase.open(dir);
  try {
    return { storage: 'data directory (temporary)', ...(await benchTarget(db, PGLITE_EVENTS)) };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const url = process.env['DATABASE_URL'] ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger_test';
  const postgres = await benchPostgres(url).catch((error: unknown) => ({ skipped: `PostgreSQL unavailable: ${String(error)}` }));
  const pglite = await benchPglite();
  return {
    name: 'sealer',
    node: process.version,
    statistic: 'one sealing run over all events (a long run); SHA-256 baseline: median of 3 passes; proofs: median of 1000',
    batch: { maxEvents: 1000, minIntervalMs: 250 },
    postgres,
    pglite,
  };
}

function perSecond(count: number, ms: number): number {
  return Math.round(count / (ms / 1000));
}
