import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '#kernel';
import type { SqlDatabase, SqlExecutor } from '#event-store';
import { exportSigningKeySeed, generateSigningKeyPair } from '#transparency-log';
import { PostgresDatabase, SqlEventStore } from '#event-store/adapters';
import { sealerLock } from '../../contexts/audit/src/audit-log.module.js';
import { SealStore, SealedLog, Sealer, verifyStoredLog } from '../../contexts/audit/src/log/index.js';
import { createScratchDatabase } from '#testing';

const ORIGIN = 'it.compliance-ledger/audit';
const keys = generateSigningKeyPair();
const trust = { publicKey: keys.publicKey, origin: ORIGIN };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function sealerOn(db: SqlDatabase, url: string, options: { batchSize?: number; wrap?: SqlDatabase; lockRetryMs?: number } = {}) {
  const log = new SealedLog(new SealStore(options.wrap ?? db), trust);
  const sealer = new Sealer({
    store: new SqlEventStore(db),
    log,
    signingKey: keys.privateKey,
    origin: ORIGIN,
    lock: sealerLock(db, url, 200),
    batchSize: options.batchSize ?? 100,
    batchIntervalMs: 0,
    lockRetryMs: options.lockRetryMs ?? 100,
  });
  return { log, sealer };
}

/** The leaves must be exactly the store's global order: same positions, same ids, no gap, no repeat. */
async function expectLeavesMatchStore(db: SqlDatabase): Promise<number> {
  const events = await db.query<{ global_position: string; event_id: string }>(
    'SELECT global_position, event_id FROM events ORDER BY transaction_id, global_position',
  );
  const leaves = await db.query<{ leaf_index: string; position: string; event_id: string }>(
    'SELECT leaf_index, position, event_id FROM audit_log_leaves ORDER BY leaf_index',
  );
  expect(leaves.map((l) => Number(l.leaf_index))).toEqual(events.map((_, i) => i));
  expect(leaves.map((l) => `${l.position}/${l.event_id}`)).toEqual(events.map((e) => `${e.global_position}/${e.event_id}`));
  const result = await verifyStoredLog(new SqlEventStore(db), new SealStore(db), trust);
  expect(result).toMatchObject({ ok: true, checkedEvents: events.length, treeSize: events.length });
  return events.length;
}

/** Many events fast, in many transactions, straight into the events table (a fixture, not the append path). */
async function bulkEvents(db: SqlDatabase, count: number, perTransaction = 1000): Promise<void> {
  for (let start = 0; start < count; start += perTransaction) {
    await db.query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
       SELECT 'bulk-' || g, 'thing-' || (g % 97), g / 97 + 1, 'ThingHappened', jsonb_build_object('i', g, 'note', 'bulk event ' || g),
              jsonb_build_object('actor', 'load', 'correlationId', 'c-' || g, 'occurredAt', '2026-01-01T00:00:00.000Z')
       FROM generate_series($1::int, $2::int) AS g`,
      [start, Math.min(count, start + perTransaction) - 1],
    );
  }
}

const newEvent = (i: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'ThingHappened',
  data: { i },
  metadata: { actor: 'writer', correlationId: `c-${i}`, occurredAt: '2026-01-01T00:00:00.000Z' },
});

describe('audit-log sealer on PostgreSQL', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let db: PostgresDatabase;
  let store: EventStore;

  beforeEach(async () => {
    scratch = await createScratchDatabase('ledger_it_sealer');
    db = new PostgresDatabase({ connectionString: scratch.url });
    const sqlStore = new SqlEventStore(db);
    await sqlStore.migrate();
    store = sqlStore;
    await new SealStore(db).migrate();
  });
  afterEach(async () => {
    await db.close();
    await scratch.drop();
  });

  it('survives SIGKILL of the sealing process mid-run: the next sealer neither duplicates nor skips a leaf', async () => {
    await bulkEvents(db, 30_000);
    const child = spawn(
      process.execPath,
      ['--import', './test/integration/messaging-ts-register.mjs', 'test/integration/audit-log-sealer.child.ts'],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          DATABASE_URL: scratch.url,
          AUDIT_SIGNING_KEY: exportSigningKeySeed(keys.privateKey),
          AUDIT_LOG_ORIGIN: ORIGIN,
          BATCH_SIZE: '100',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const sealedSize = async () =>
      Number((await db.query<{ tree_size: string }>('SELECT tree_size FROM audit_log_sealer'))[0]?.tree_size ?? 0);
    try {
      await until(async () => (await sealedSize()) >= 3000, 60_000, `the child sealer to seal 3000 events (output: ${output.join('')})`);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const atKill = await sealedSize();
    expect(atKill).toBeLessThan(30_000);

    const { sealer } = sealerOn(db, scratch.url, { batchSize: 1000 });
    sealer.start();
    await sealer.waitForTreeSize(30_000, 120_000);
    await sealer.stop();
    expect(await expectLeavesMatchStore(db)).toBe(30_000);
    const sizes = await db.query<{ tree_size: string }>('SELECT tree_size FROM audit_log_checkpoints ORDER BY id');
    // Checkpoints only grow: nothing was signed twice over or rolled back.
    const numbers = sizes.map((s) => Number(s.tree_size));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
  }, 240_000);

  it('lets one sealer hold the advisory lock; when its connection dies another takes over', async () => {
    await bulkEvents(db, 500, 100);
    const dbB = new PostgresDatabase({ connectionString: scratch.url });
    // A would retry the lock only after a minute, so once it loses the lock, B must take over.
    const a = sealerOn(db, scratch.url, { lockRetryMs: 60_000 });
    const b = sealerOn(dbB, scratch.url);
    try {
      a.sealer.start();
      await a.sealer.waitForTreeSize(500);
      b.sealer.start();
      await until(() => b.sealer.status.state === 'standby', 5000, 'the second sealer to stand by');
      // The first sealer's lock connection dies (a network cut, a crashed host).
      await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'audit-log-sealer' AND datname = current_database() AND pid <> pg_backend_pid()`);
      for (let i = 0; i < 20; i++) await store.append(`thing-${randomUUID()}`, [newEvent(i)], 'no_stream');
      await until(() => a.sealer.status.state === 'standby', 10_000, 'the first sealer to notice it lost the lock');
      expect(a.sealer.status).toMatchObject({ lockLosses: 1, error: null });
      await b.sealer.waitForTreeSize(520, 20_000);
      expect(b.sealer.status.state).toBe('sealing');
      expect(a.sealer.status.state).toBe('standby');
    } finally {
      await a.sealer.stop();
      await b.sealer.stop();
      await dbB.close();
    }
    expect(await expectLeavesMatchStore(db)).toBe(520);
  }, 60_000);

  it('seals exactly the commit order while four writers append concurrently', async () => {
    const { sealer } = sealerOn(db, scratch.url, { batchSize: 50 });
    sealer.start();
    const writer = async (w: number) => {
      for (let i = 0; i < 100; i++) {
        const n = 1 + ((i + w) % 3);
        await store.append(
          `writer-${w}-${i}`,
          Array.from({ length: n }, (_, k) => newEvent(i * 10 + k)),
          'no_stream',
        );
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    const [{ n }] = (await db.query<{ n: string }>('SELECT count(*) AS n FROM events')) as [{ n: string }];
    await sealer.waitForTreeSize(Number(n), 30_000);
    await sealer.stop();
    expect(await expectLeavesMatchStore(db)).toBe(Number(n));
  }, 60_000);

  it('retries a batch whose transaction failed after writing its leaves, without a duplicate or a gap', async () => {
    await bulkEvents(db, 400, 100);
    let failures = 0;
    const faulty: SqlDatabase = {
      kind: db.kind,
      query: (text, params) => db.query(text, params),
      exec: (text) => db.exec(text),
      close: async () => undefined,
      transaction: <T>(work: (tx: SqlExecutor) => Promise<T>) =>
        db.transaction((tx) =>
          work({
            async query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> {
              const rows = await tx.query<Row>(text, params);
              if (text.includes('INSERT INTO audit_log_checkpoints') && failures < 3) {
                failures++;
                throw new Error('injected failure inside the batch transaction');
              }
              return rows;
            },
          }),
        ),
    };
    const { sealer } = sealerOn(db, scratch.url, { wrap: faulty });
    sealer.start();
    await sealer.waitForTreeSize(400, 30_000);
    await sealer.stop();
    expect(failures).toBe(3);
    expect(await expectLeavesMatchStore(db)).toBe(400);
  }, 60_000);
});
