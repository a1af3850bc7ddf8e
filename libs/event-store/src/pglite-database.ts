import { PGlite } from '@electric-sql/pglite';
import { DiskReserve } from './disk-reserve.js';
import type { SqlDatabase, SqlExecutor } from './sql-database.js';
import type { PgliteOptions } from './store-config.js';
import { initialisePgliteDataDir } from './pglite-data-dir.js';

/**
 * Embedded PostgreSQL (WASM) with no server: the same SQL as production.
 * PGlite has one connection; its transaction() queues other queries until it ends,
 * so transactions are serialised, which keeps the event store's guarantees.
 */
export class PgliteDatabase implements SqlDatabase {
  readonly kind = 'pglite' as const;

  private constructor(
    private readonly db: PGlite,
    /** On disk: refuses transactions before the disk is too full for the next WAL segment. */
    readonly reserve: DiskReserve | null,
  ) {}

  /** `dataDir` undefined keeps everything in memory (tests). */
  static async open(dataDir?: string, options: PgliteOptions = {}): Promise<PgliteDatabase> {
    if (dataDir) await initialisePgliteDataDir(dataDir);
    // Passing startParams replaces PGlite's defaults (single-user mode and all), so extend them.
    const startParams = [...PGlite.defaultStartParams];
    if (options.sharedBuffersMb !== undefined) startParams.push('-c', `shared_buffers=${options.sharedBuffersMb}MB`);
    const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), startParams });
    return new PgliteDatabase(db, dataDir ? new DiskReserve(dataDir) : null);
  }

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.db.query<Row>(text, params as unknown[])).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  /** Every commit is as durable as PGlite makes it; the `durable: false` hint has nothing to relax. */
  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    await this.reserve?.assertRoom();
    return this.db.transaction(async (tx) =>
      work({ query: async <Row>(text: string, params: readonly unknown[] = []) => (await tx.query<Row>(text, params as unknown[])).rows }),
    );
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
