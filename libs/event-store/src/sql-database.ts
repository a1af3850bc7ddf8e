/** The little SQL surface the platform needs, served by PostgreSQL (pg) and PGlite alike. */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface TransactionOptions {
  /**
   * False: the commit returns before its WAL is flushed (PostgreSQL's asynchronous commit). A crash
   * may then lose the last such transactions whole, never half of one. Only for state that is
   * rebuilt from the event store, such as a read model committed with its checkpoint.
   */
  readonly durable?: boolean;
}

export interface SqlDatabase extends SqlExecutor {
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs several statements at once (schema set-up); no parameters. */
  exec(sql: string): Promise<void>;
  readonly kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}
