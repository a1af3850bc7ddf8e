import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '#kernel';
import type { StoreConfig } from './store-config.js';
import { describe, redactUrl, StartupError } from './startup-error.js';
import { SqlEventStore } from './sql-event-store.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';
import type { SqlDatabase } from './sql-database.js';

export interface Infrastructure {
  /** Holds read models and checkpoints (and the events, for the SQL stores). */
  readonly db: SqlDatabase;
  readonly store: EventStore;
  close(): Promise<void>;
}

/** Opens the configured store and database, failing fast with a clear message. */
export async function openInfrastructure(config: StoreConfig): Promise<Infrastructure> {
  const db = await openDatabase(config);
  const store = await openStore(config, db);
  return {
    db,
    store,
    async close() {
      await store.close();
      await db.close();
    },
  };
}

async function openDatabase(config: StoreConfig): Promise<SqlDatabase> {
  if (config.databaseUrl) {
    // Under load a query may wait for a free pooled connection for a while; that must not fail
    // writes. Startup alone is held to a short deadline, so a dead server is reported fast.
    const db = new PostgresDatabase({
      connectionString: config.databaseUrl,
      connectTimeoutMs: 30000,
      ...(config.databasePoolMax ? { maxConnections: config.databasePoolMax } : {}),
      ...(config.applicationName ? { applicationName: config.applicationName } : {}),
    });
    try {
      await Promise.race([
        db.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 5000 ms')), 5000).unref()),
      ]);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw new StartupError(`cannot connect to PostgreSQL at ${redactUrl(config.databaseUrl)}: ${describe(error)}`);
    }
    return db;
  }
  const dir = join(config.dataDir, 'pglite');
  try {
    mkdirSync(dir, { recursive: true });
    return await PgliteDatabase.open(dir, config.pglite);
  } catch (error) {
    throw new StartupError(`cannot open the embedded database in ${dir}: ${describe(error)}`);
  }
}

async function openStore(config: StoreConfig, db: SqlDatabase): Promise<EventStore> {
  if (config.store === 'kurrentdb') {
    const { KurrentDbEventStore } = await import('./kurrentdb-event-store.js');
    const store = KurrentDbEventStore.connect(config.kurrentdbUrl!);
    try {
      await store.ping();
    } catch (error) {
      throw new StartupError(`cannot reach KurrentDB at ${redactUrl(config.kurrentdbUrl!)}: ${describe(error)}`);
    }
    return store;
  }
  const store = new SqlEventStore(db);
  await store.migrate();
  return store;
}
