import pg from 'pg';
import type { HeldLock, LeaderLock } from './leader-lock.js';

export interface PostgresAdvisoryLockOptions {
  /** Key of the session advisory lock: a fixed bigint per kind of runner (advisory locks are per database). */
  readonly key: string;
  /** `application_name` of the lock's connection, so `pg_stat_activity` shows who holds it. */
  readonly applicationName: string;
  readonly keepAliveMs?: number;
}

/**
 * A PostgreSQL session-level advisory lock held on a dedicated connection (not a pooled one, which
 * would hand the session to other queries). The lock dies with the connection, so a crashed
 * sealer frees it at once; a keep-alive query notices a silently dropped connection. Needs a
 * direct connection: a transaction-pooling proxy (PgBouncer) does not keep session locks.
 */
export class PostgresAdvisoryLock implements LeaderLock {
  constructor(
    private readonly connectionString: string,
    private readonly options: PostgresAdvisoryLockOptions,
  ) {}

  async tryAcquire(): Promise<HeldLock | null> {
    const { key, applicationName } = this.options;
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: 5000,
      application_name: applicationName,
    });
    let markLost: (reason: unknown) => void = () => undefined;
    const lost = new Promise<unknown>((resolve) => (markLost = resolve));
    let ended = false;
    client.on('error', (error) => markLost(error));
    client.on('end', () => {
      ended = true;
      markLost(new Error(`the ${applicationName} lock connection closed`));
    });
    try {
      await client.connect();
      const rows = (await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [key])).rows;
      if (rows[0]?.acquired !== true) {
        await client.end();
        return null;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    const keepAlive = setInterval(() => void client.query('SELECT 1').catch(markLost), this.options.keepAliveMs ?? 5000);
    keepAlive.unref();
    return {
      lost,
      async release() {
        clearInterval(keepAlive);
        // Closing the session releases its advisory locks; a connection already gone has none to release
        // (and end() on it would wait for an 'end' event that has already been emitted).
        if (!ended) await client.end().catch(() => undefined);
      },
    };
  }
}
