import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent, RecordedEvent } from '#kernel';
import { START } from '#kernel';
import { InMemoryEventStore } from '#testing';
import { SqlEventStore, InProcessLock, PgliteDatabase } from '#event-store/adapters';
import type { SqlDatabase, SqlExecutor } from '#event-store';
import { leafHashOfEvent } from './canonical-leaf.js';
import {
  verifyCheckpoint,
  fromHex,
  toHex,
  verifyConsistency,
  MerkleTree,
  exportPublicKeyBase64,
  generateSigningKeyPair,
} from '#transparency-log';
import { SealStore } from './seal-store.js';
import { SealedLog } from './sealed-log.js';
import { Sealer } from './sealer.js';

const ORIGIN = 'test.compliance-ledger/audit';
const keys = generateSigningKeyPair();

const newEvent = (i: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'ThingHappened',
  data: { i, note: `thing ${i}`, nested: { ok: i % 2 === 0 } },
  metadata: { actor: 'sealer-test', correlationId: `c-${i}`, occurredAt: '2026-01-01T00:00:00.000Z' },
});

async function appendEvents(store: EventStore, count: number, from = 0): Promise<void> {
  // Several streams, several events per append: the global order interleaves them.
  for (let i = from; i < from + count; i += 3) {
    const n = Math.min(3, from + count - i);
    await store.append(
      `thing-${i % 5}-${randomUUID()}`,
      Array.from({ length: n }, (_, k) => newEvent(i + k)),
      'no_stream',
    );
  }
}

async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (
    let batch = await store.readAll(START, { limit: 1000 });
    batch.length > 0;
    batch = await store.readAll(batch[batch.length - 1]!.cursor, { limit: 1000 })
  ) {
    out.push(...batch);
  }
  return out;
}

function sealerOn(
  db: SqlDatabase,
  store: EventStore,
  options: { key?: ReturnType<typeof generateSigningKeyPair>; batchSize?: number } = {},
) {
  const key = options.key ?? keys;
  const log = new SealedLog(new SealStore(db), { publicKey: key.publicKey, origin: ORIGIN });
  const sealer = new Sealer({
    store,
    log,
    lock: new InProcessLock(log.store.db),
    signingKey: key.privateKey,
    origin: ORIGIN,
    batchSize: options.batchSize ?? 7,
    batchIntervalMs: 0,
    pollMs: 20,
    lockRetryMs: 20,
  });
  return { log, sealer };
}

interface LeafRowCheck {
  leaf_index: number | string;
  position: number | string;
  event_id: string;
  leaf_hash: string;
}

/** Every stored leaf must be the next event of the global order, once: no gap, no duplicate, no reordering. */
async function expectLeavesMatchStore(db: SqlDatabase, store: EventStore): Promise<RecordedEvent[]> {
  const events = await allEvents(store);
  const rows = await db.query<LeafRowCheck>(
    `SELECT leaf_index, position, event_id, encode(leaf_hash, 'hex') AS leaf_hash FROM audit_log_leaves ORDER BY leaf_index`,
  );
  expect(rows.map((r) => Number(r.leaf_index))).toEqual(events.map((_, i) => i));
  expect(rows.map((r) => Number(r.position))).toEqual(events.map((e) => e.position));
  expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.eventId));
  expect(rows.map((r) => r.leaf_hash)).toEqual(events.map((e) => toHex(leafHashOfEvent(e))));
  return events;
}

function rootOf(events: readonly RecordedEvent[]): string {
  const tree = new MerkleTree();
  for (const event of events) tree.append(leafHashOfEvent(event));
  return toHex(tree.root());
}

/** Wraps a database so chosen transactions fail, to stand in for a crash inside a batch. */
function faultyDatabase(db: SqlDatabase, fault: { when: (statement: string) => boolean; mode: 'inside' | 'after-commit'; times: number }) {
  let remaining = fault.times;
  const injected = { count: 0 };
  const wrapped: SqlDatabase = {
    kind: db.kind,
    query: (text, params) => db.query(text, params),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      let matched = false;
      const result = await db.transaction(async (tx) => {
        const spy: SqlExecutor = {
          async query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> {
            if (fault.when(text) && remaining > 0) {
              matched = true;
              if (fault.mode === 'inside') {
                remaining--;
                injected.count++;
                // After the statement ran: the leaves are written, then the transaction dies.
                await tx.query(text, params);
                throw new Error('injected failure inside the batch transaction');
              }
            }
            return tx.query<Row>(text, params);
          },
        };
        return work(spy);
      });
      if (matched && fault.mode === 'after-commit' && remaining > 0) {
        remaining--;
        injected.count++;
        throw new Error('injected failure after commit (acknowledgement lost)');
      }
      return result;
    },
  };
  return { db: wrapped, injected };
}

describe('Sealer on the embedded store (PGlite)', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;

  beforeEach(async () => {
    db = await PgliteDatabase.open();
    store = new SqlEventStore(db);
    await store.migrate();
    await new SealStore(db).migrate();
  });
  afterEach(async () => db.close());

  it('seals every event of the global order once, in order, and signs a checkpoint over them', async () => {
    await appendEvents(store, 40);
    const { log, sealer } = sealerOn(db, store);
    sealer.start();
    await sealer.waitForTreeSize(40);
    await sealer.stop();
    const events = await expectLeavesMatchStore(db, store);
    const checkpoint = await log.store.latestCheckpoint();
    expect(checkpoint).toMatchObject({ treeSize: 40, rootHash: rootOf(events) });
    expect(verifyCheckpoint(checkpoint!, keys.publicKey, { origin: ORIGIN }).ok).toBe(true);
    // The empty tree's checkpoint, then one per batch of at most 7.
    const [counted] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log_checkpoints');
    expect(counted!.n).toBeGreaterThanOrEqual(1 + Math.ceil(40 / 7));
    const [sealerRow] = await db.query<{ cursor: string }>('SELECT cursor FROM audit_log_sealer');
    expect(sealerRow!.cursor).toBe(events[39]!.cursor);
  });

  it('picks up after a restart where it stopped, and the new checkpoint is consistent with the old', async () => {
    await appendEvents(store, 20);
    const first = sealerOn(db, store);
    first.sealer.start();
    await first.sealer.waitForTreeSize(20);
    await first.sealer.stop();
    const before = (await first.log.store.latestCheckpoint())!;

    await appendEvents(store, 25, 20);
    // A new process: empty tree, rebuilt from the stored leaves.
    const second = sealerOn(db, store);
    second.sealer.start();
    await second.sealer.waitForTreeSize(45);
    await second.sealer.stop();
    const events = await expectLeavesMatchStore(db, store);
    const after = (await second.log.store.latestCheckpoint())!;
    expect(after).toMatchObject({ treeSize: 45, rootHash: rootOf(events) });
    const proof = second.log.tree.consistencyProof(20, 45);
    expect(verifyConsistency(20, 45, proof, fromHex(before.rootHash), fromHex(after.rootHash))).toBe(true);
  });

  it('neither duplicates nor skips a leaf when a batch transaction dies after writing its leaves', async () => {
    await appendEvents(store, 30);
    const faulty = faultyDatabase(db, { when: (sql) => sql.includes('INSERT INTO audit_log_checkpoints'), mode: 'inside', times: 2 });
    const { sealer } = sealerOn(faulty.db, store);
    sealer.start();
    await sealer.waitForTreeSize(30);
    await sealer.stop();
    expect(faulty.injected.count).toBe(2);
    await expectLeavesMatchStore(db, store);
  });

  it('neither duplicates nor skips a leaf when a commit succeeded but its acknowledgement was lost', async () => {
    await appendEvents(store, 30);
    const faulty = faultyDatabase(db, { when: (sql) => sql.includes('INSERT INTO audit_log_leaves'), mode: 'after-commit', times: 1 });
    const { sealer } = sealerOn(faulty.db, store);
    sealer.start();
    await sealer.waitForTreeSize(30);
    await sealer.stop();
    expect(faulty.injected.count).toBe(1);
    const events = await expectLeavesMatchStore(db, store);
    expect((await new SealStore(db).latestCheckpoint())!.rootHash).toBe(rootOf(events));
  });

  it('halts rather than sign over stored leaves that no longer match the signed root', async () => {
    await appendEvents(store, 10);
    const first = sealerOn(db, store);
    first.sealer.start();
    await first.sealer.waitForTreeSize(10);
    await first.sealer.stop();
    await db.exec(`ALTER TABLE audit_log_leaves DISABLE TRIGGER audit_log_leaves_append_only;
      UPDATE audit_log_leaves SET leaf_hash = decode(repeat('ab', 32), 'hex') WHERE leaf_index = 3;
      ALTER TABLE audit_log_leaves ENABLE TRIGGER audit_log_leaves_append_only;`);
    await appendEvents(store, 5, 10);
    const second = sealerOn(db, store);
    second.sealer.start();
    await expect(second.sealer.waitForTreeSize(15, 5000)).rejects.toThrow(/halted.*do not hash to the signed root at tree size 10/);
    await second.sealer.stop();
    expect(second.sealer.status.state).toBe('halted');
    expect((await new SealStore(db).latestCheckpoint())!.treeSize).toBe(10);
  });

  it('halts when the latest checkpoint was signed by another key', async () => {
    await appendEvents(store, 5);
    const first = sealerOn(db, store);
    first.sealer.start();
    await first.sealer.waitForTreeSize(5);
    await first.sealer.stop();
    const other = generateSigningKeyPair();
    const second = sealerOn(db, store, { key: other });
    second.sealer.start();
    await expect(second.sealer.waitForTreeSize(6, 5000)).rejects.toThrow(/halted.*not accepted \(signed by another key\)/);
    await second.sealer.stop();
    // The operator is told both keys, to restore the right one.
    expect(second.sealer.status.error).toContain(exportPublicKeyBase64(keys.publicKey));
    expect(second.sealer.status.error).toContain(exportPublicKeyBase64(other.publicKey));
  });

  it('lets only one of two sealers on the same database seal; the other takes over when it stops', async () => {
    await appendEvents(store, 12);
    const a = sealerOn(db, store);
    const b = sealerOn(db, store);
    a.sealer.start();
    await a.sealer.waitForTreeSize(12);
    b.sealer.start();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(b.sealer.status.state).toBe('standby');
    await a.sealer.stop();
    await appendEvents(store, 9, 12);
    await b.sealer.waitForTreeSize(21);
    await b.sealer.stop();
    await expectLeavesMatchStore(db, store);
  });
});

describe('Sealer over another EventStore adapter (in-memory fake store; leaves in PGlite)', () => {
  it('halts before an event it cannot make a leaf of, naming it, and never skips it', async () => {
    const db = await PgliteDatabase.open();
    try {
      await new SealStore(db).migrate();
      // In memory: PostgreSQL would refuse a lone surrogate, but another adapter or old data might hold one.
      const store = new InMemoryEventStore();
      await appendEvents(store, 9);
      const poison = { ...newEvent(99), data: { note: 'lone \ud800 surrogate' } };
      await store.append('thing-poison', [poison], 'no_stream');
      await appendEvents(store, 6, 100);
      const { log, sealer } = sealerOn(db, store, { batchSize: 4 });
      sealer.start();
      await expect(sealer.waitForTreeSize(16, 5000)).rejects.toThrow(/halted/);
      expect(sealer.status.state).toBe('halted');
      expect(sealer.status.error).toContain(`event ${poison.eventId} (ThingHappened, stream thing-poison version 1, position`);
      expect(sealer.status.error).toMatch(/cannot be sealed: .*the log never skips an event/);
      // Everything before it is sealed, nothing after it.
      expect(sealer.status.treeSize).toBe(9);
      expect((await log.store.latestCheckpoint())!.treeSize).toBe(9);
      await sealer.stop();
    } finally {
      await db.close();
    }
  });

  it('uses only the EventStore port: the same leaves and root as the events it reads', async () => {
    const db = await PgliteDatabase.open();
    try {
      await new SealStore(db).migrate();
      const store = new InMemoryEventStore();
      await appendEvents(store, 23);
      const { log, sealer } = sealerOn(db, store, { batchSize: 5 });
      sealer.start();
      await sealer.waitForTreeSize(23);
      await sealer.stop();
      const events = await expectLeavesMatchStore(db, store);
      expect((await log.store.latestCheckpoint())!.rootHash).toBe(rootOf(events));
    } finally {
      await db.close();
    }
  });
});
