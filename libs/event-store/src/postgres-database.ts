import { createHash } from 'node:crypto';
import pg from 'pg';
import type { SqlDatabase, SqlExecutor, TransactionOptions } from './sql-database.js';

/**
 * A statement whose text starts with this comment runs as a named (server-side prepared) statement:
 * each connection parses and plans it once, then only binds and executes it (about 0.1 ms less per
 * call for the event-store append). Opt-in for hot statements of fixed text only, since every distinct
 * text stays prepared on every pooled connection. PGlite ignores the comment.
 */
export const PREPARED_MARKER = '/* prepared */';

const statementNames = new Map<string, string>();

/** The query config: named after a hash of the text when marked, so two texts never share a name. */
function statement(text: string, params: readonly unknown[]): pg.QueryConfig {
  if (!text.startsWith(PREPARED_MARKER)) return { text, values: params as unknown[] };
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `ledger_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values: params as unknown[] };
}

export interface PostgresOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
  /** A transaction left idle (a stuck client) would hold back every subscriber; cut it off. */
  readonly idleInTransactionTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** `application_name` of the pool's connections, so `pg_stat_activity` shows which app holds them. */
  readonly applicationName?: string;
}

export class PostgresDatabase implements SqlDatabase {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;

  constructor(options: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      ...(options.applicationName ? { application_name: options.applicationName } : {}),
      options: `-c idle_in_transaction_session_timeout=${options.idleInTransactionTimeoutMs ?? 30000}`,
    });
    // An idle client that loses its server must not crash the process; the next query reports it.
    this.pool.on('error', () => undefined);
  }

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.pool.query(statement(text, params));
    return result.rows as Row[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no listener of the pool's: without one, its server going away
    // (a restart, a failover) would be an unhandled 'error' event and end the process.
    let lost: Error | null = null;
    const onError = (error: Error) => void (lost = error);
    client.on('error', onError);
    try {
      // One simple-query message, one round trip, for both statements.
      await client.query(options.durable === false ? 'BEGIN; SET LOCAL synchronous_commit TO off' : 'BEGIN');
      const tx: SqlExecutor = {
        query: async <Row>(text: string, params: readonly unknown[] = []) => (await client.query(statement(text, params))).rows as Row[],
      };
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => void (lost ??= rollbackError));
      throw error;
    } finally {
      client.off('error', onError);
      // A connection that failed is closed rather than handed to the next caller.
      client.release(lost ?? undefined);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
