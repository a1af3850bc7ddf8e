import type { Cursor } from '#kernel';
import { START } from '#kernel';
import type { SqlDatabase, SqlExecutor } from './sql-database.js';

/**
 * Where a subscriber of the global order (relay, projections) keeps its position: one row per
 * subscriber name in a table of its own kind. `save` takes the executor of the transaction that
 * commits the subscriber's effect, so position and effect commit together (or the caller's own
 * transaction, when losing the last position only means doing a batch again).
 */
export class CheckpointStore {
  private readonly select: string;
  private readonly upsert: string;

  constructor(
    private readonly db: SqlDatabase,
    readonly table: string,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new RangeError(`invalid checkpoint table name "${table}"`);
    this.select = `SELECT cursor FROM ${table} WHERE name = $1`;
    this.upsert = `INSERT INTO ${table} (name, cursor, updated_at) VALUES ($1, $2, now())
ON CONFLICT (name) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`;
  }

  async migrate(): Promise<void> {
    await this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${this.table} (name text PRIMARY KEY, cursor text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
    );
  }

  /** The stored position, or START for a subscriber that never saved one. */
  async load(name: string, executor: SqlExecutor = this.db): Promise<Cursor> {
    const rows = await executor.query<{ cursor: string }>(this.select, [name]);
    return rows[0]?.cursor ?? START;
  }

  async save(name: string, cursor: Cursor, executor: SqlExecutor = this.db): Promise<void> {
    await executor.query(this.upsert, [name, cursor]);
  }
}
