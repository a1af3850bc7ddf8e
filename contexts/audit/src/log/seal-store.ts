import type { Cursor } from '#kernel';
import { START } from '#kernel';
import type { SqlDatabase, SqlExecutor } from '#event-store';
import type { SignedCheckpoint } from '#transparency-log';
import { toHex, HASH_SIZE } from '#transparency-log';

/** Key of the advisory lock that serialises this schema's migration (any fixed bigint no other code uses). */
const MIGRATION_LOCK_KEY = '7308604897068083572';

/**
 * The sealed log in SQL (PostgreSQL and PGlite alike), beside the read models:
 * - audit_log_leaves: one row per leaf, in leaf order, with the event it seals;
 * - audit_log_checkpoints: every signed checkpoint, the body exactly as signed;
 * - audit_log_sealer: one row, the sealer's cursor in the store's global order and the tree size.
 * A batch writes all three in one transaction (see commitBatch). Leaves and checkpoints are
 * append-only for the application, like the events; the signed roots expose any other change.
 */
export const SEAL_STORE_SCHEMA = `
SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY});
CREATE TABLE IF NOT EXISTS audit_log_leaves (
  leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
  position bigint NOT NULL UNIQUE,
  event_id text NOT NULL UNIQUE,
  leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = ${HASH_SIZE})
);
CREATE TABLE IF NOT EXISTS audit_log_checkpoints (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tree_size bigint NOT NULL CHECK (tree_size >= 0),
  root_hash bytea NOT NULL CHECK (octet_length(root_hash) = ${HASH_SIZE}),
  "timestamp" text NOT NULL,
  signature text NOT NULL,
  public_key text NOT NULL,
  note text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS audit_log_sealer (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  cursor text NOT NULL,
  tree_size bigint NOT NULL CHECK (tree_size >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the sealed audit log is append-only';
END $$;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_log_leaves_append_only') THEN
    CREATE TRIGGER audit_log_leaves_append_only BEFORE UPDATE OR DELETE ON audit_log_leaves
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_log_checkpoints_append_only') THEN
    CREATE TRIGGER audit_log_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_log_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
  END IF;
END $$;
`;

/** One sealed leaf: which event it seals and its hash. */
export interface StoredLeaf {
  readonly leafIndex: number;
  readonly position: number;
  readonly eventId: string;
  readonly leafHash: Uint8Array;
}

export interface StoredSealerState {
  readonly cursor: Cursor;
  readonly treeSize: number;
}

/** What one batch adds: leaves from `fromSize` on, the checkpoint over them and the cursor after them. */
export interface SealedBatch {
  readonly fromSize: number;
  readonly leaves: readonly { readonly position: number; readonly eventId: string; readonly leafHash: Uint8Array }[];
  readonly checkpoint: SignedCheckpoint;
  readonly cursor: Cursor;
}

/** Raised when the sealer row moved under this sealer: another sealer is writing the same log. */
export class ConcurrentSealerError extends Error {}

type Int = string | number | bigint;

interface LeafRow {
  leaf_index: Int;
  position: Int;
  event_id: string;
  leaf_hash: Uint8Array;
}

interface CheckpointRow {
  tree_size: Int;
  root_hash: string;
  timestamp: string;
  signature: string;
  public_key: string;
  note: string;
}

const LEAF_COLUMNS = 'leaf_index, position, event_id, leaf_hash';
const CHECKPOINT_COLUMNS = `tree_size, encode(root_hash, 'hex') AS root_hash, "timestamp", signature, public_key, note`;

/** Pages of leaf hashes fetched as one concatenated bytea each: far fewer row objects on a big load. */
const HASH_PAGE = 65_536;

export class SealStore {
  constructor(readonly db: SqlDatabase) {}

  /** Creates the tables if missing; safe to run on every start and from several processes. */
  async migrate(): Promise<void> {
    await this.db.exec(SEAL_STORE_SCHEMA);
  }

  async sealerState(executor: SqlExecutor = this.db): Promise<StoredSealerState | null> {
    const rows = await executor.query<{ cursor: string; tree_size: Int }>('SELECT cursor, tree_size FROM audit_log_sealer');
    const row = rows[0];
    return row ? { cursor: row.cursor, treeSize: Number(row.tree_size) } : null;
  }

  /** First start: the sealer row at the start of the order, with the signed empty tree. No-op if already there. */
  async initialize(emptyCheckpoint: SignedCheckpoint): Promise<void> {
    if (emptyCheckpoint.treeSize !== 0) throw new RangeError('the first checkpoint must be of the empty tree');
    await this.db.transaction(async (tx) => {
      const created = await tx.query(
        'INSERT INTO audit_log_sealer (cursor, tree_size) VALUES ($1, 0) ON CONFLICT (singleton) DO NOTHING RETURNING tree_size',
        [START],
      );
      if (created.length === 1) await insertCheckpoint(tx, emptyCheckpoint);
    });
  }

  /**
   * Commits one batch atomically: the sealer row moves from `fromSize` (or nothing is written),
   * then the leaves and the checkpoint are inserted. A crash or error at any point leaves either
   * all of it or none, so a restart neither skips nor repeats a leaf.
   */
  async commitBatch(batch: SealedBatch): Promise<void> {
    const { fromSize, leaves, checkpoint, cursor } = batch;
    if (leaves.length === 0) throw new RangeError('a batch needs at least one leaf');
    if (checkpoint.treeSize !== fromSize + leaves.length) throw new RangeError('the checkpoint does not cover exactly this batch');
    await this.db.transaction(async (tx) => {
      // First, so that two sealers queue on this row and the later one finds it moved.
      const moved = await tx.query(
        'UPDATE audit_log_sealer SET cursor = $1, tree_size = $2, updated_at = now() WHERE tree_size = $3 RETURNING tree_size',
        [cursor, checkpoint.treeSize, fromSize],
      );
      if (moved.length !== 1)
        throw new ConcurrentSealerError(`the sealed log is no longer at tree size ${fromSize}: another sealer is running`);
      await tx.query(
        `INSERT INTO audit_log_leaves (leaf_index, position, event_id, leaf_hash)
         SELECT l.leaf_index, l.position, l.event_id, decode(l.leaf_hash, 'hex')
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS l(leaf_index, position, event_id, leaf_hash)`,
        [
          leaves.map((_, i) => fromSize + i),
          leaves.map((l) => l.position),
          leaves.map((l) => l.eventId),
          leaves.map((l) => toHex(l.leafHash)),
        ],
      );
      await insertCheckpoint(tx, checkpoint);
    });
  }

  /** The checkpoint of the largest tree (the latest one). */
  async latestCheckpoint(executor: SqlExecutor = this.db): Promise<SignedCheckpoint | null> {
    const rows = await executor.query<CheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_log_checkpoints ORDER BY tree_size DESC, id DESC LIMIT 1`,
    );
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  /**
   * Leaf hashes of [from, to) concatenated (32 bytes each), in pages. Throws if any is missing:
   * leaves are dense by construction, so a gap means rows were deleted.
   */
  async *leafHashPages(from: number, to: number): AsyncGenerator<Uint8Array> {
    for (let start = from; start < to; start += HASH_PAGE) {
      const end = Math.min(to, start + HASH_PAGE);
      const rows = await this.db.query<{ n: Int; hashes: Uint8Array | null }>(
        `SELECT count(*) AS n, string_agg(leaf_hash, ''::bytea ORDER BY leaf_index) AS hashes
         FROM audit_log_leaves WHERE leaf_index >= $1 AND leaf_index < $2`,
        [start, end],
      );
      const n = Number(rows[0]?.n ?? 0);
      const hashes = rows[0]?.hashes ?? new Uint8Array(0);
      if (n !== end - start || hashes.length !== n * HASH_SIZE) {
        throw new RangeError(`stored leaves ${start}..${end - 1} are incomplete (${n} of ${end - start} present)`);
      }
      yield hashes;
    }
  }

  /** Up to `limit` stored leaves from `fromIndex` on, in leaf order. */
  async leaves(fromIndex: number, limit: number): Promise<StoredLeaf[]> {
    const rows = await this.db.query<LeafRow>(
      `SELECT ${LEAF_COLUMNS} FROM audit_log_leaves WHERE leaf_index >= $1 ORDER BY leaf_index LIMIT $2`,
      [fromIndex, limit],
    );
    return rows.map(toLeaf);
  }

  async leafByPosition(position: number): Promise<StoredLeaf | null> {
    const rows = await this.db.query<LeafRow>(`SELECT ${LEAF_COLUMNS} FROM audit_log_leaves WHERE position = $1`, [position]);
    return rows[0] ? toLeaf(rows[0]) : null;
  }

  async leafByEventId(eventId: string): Promise<StoredLeaf | null> {
    const rows = await this.db.query<LeafRow>(`SELECT ${LEAF_COLUMNS} FROM audit_log_leaves WHERE event_id = $1`, [eventId]);
    return rows[0] ? toLeaf(rows[0]) : null;
  }
}

async function insertCheckpoint(tx: SqlExecutor, checkpoint: SignedCheckpoint): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log_checkpoints (tree_size, root_hash, "timestamp", signature, public_key, note)
     VALUES ($1, decode($2, 'hex'), $3, $4, $5, $6)`,
    [checkpoint.treeSize, checkpoint.rootHash, checkpoint.timestamp, checkpoint.signature, checkpoint.publicKey, checkpoint.note],
  );
}

function toLeaf(row: LeafRow): StoredLeaf {
  return {
    leafIndex: Number(row.leaf_index),
    position: Number(row.position),
    eventId: row.event_id,
    leafHash: new Uint8Array(row.leaf_hash),
  };
}

function toCheckpoint(row: CheckpointRow): SignedCheckpoint {
  return {
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash,
    timestamp: row.timestamp,
    signature: row.signature,
    publicKey: row.public_key,
    note: row.note,
  };
}
