import pg from 'pg';

/** A lock this process holds until `release`, or until `lost` resolves (its connection died). */
export interface HeldLock {
  readonly lost: Promise<unknown>;
  release(): Promise<void>;
}

/** Exactly one sealer per log: whoever holds the lock seals; the others stand by. */
export interface SealerLock {
  /** Takes the lock if free; null when another process holds it. */
  tryAcquire(): Promise<HeldLock | null>;
}

/** Key of the session advisory lock (any fixed bigint no other code uses); advisory locks are per database. */
export const SEALER_LOCK_KEY = '7308604897068083573';

const never = new Promise<never>(() => undefined);

/**
 * A PostgreSQL session-level advisory lock held on a dedicated connection (not a pooled one, which
 * would hand the session to other queries). The lock dies with the connection, so a crashed
 * sealer frees it at once; a keep-alive query notices a silently dropped connection. Needs a
 * direct connection: a transaction-pooling proxy (PgBouncer) does not keep session locks.
 */
export class PostgresAdvisoryLock implements SealerLock {
  constructor(
    private readonly connectionString: string,
    private readonly options: { readonly key?: string; readonly keepAliveMs?: number } = {},
  ) {}

  async tryAcquire(): Promise<HeldLock | null> {
    const key = this.options.key ?? SEALER_LOCK_KEY;
    const client = new pg.Client({ connectionString: this.connectionString, connectionTimeoutMillis: 5000, application_name: 'audit-log-sealer' });
    let markLost: (reason: unknown) => void = () => undefined;
    const lost = new Promise<unknown>((resolve) => (markLost = resolve));
    let ended = false;
    client.on('error', (error) => markLost(error));
    client.on('end', () => {
      ended = true;
      markLost(new Error('the sealer lock connection closed'));
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

/**
 * For a database only this process can open (PGlite): one sealer per database object. A second
 * sealer in the same process waits, exactly as a second process would on PostgreSQL.
 */
export class InProcessLock implements SealerLock {
  private static readonly held = new WeakSet<object>();

  constructor(private readonly resource: object) {}

  async tryAcquire(): Promise<HeldLock | null> {
    await Promise.resolve();
    if (InProcessLock.held.has(this.resource)) return null;
    InProcessLock.held.add(this.resource);
    const resource = this.resource;
    return {
      lost: never,
      async release() {
        InProcessLock.held.delete(resource);
      },
    };
  }
}
