export type StoreKind = 'embedded' | 'postgres' | 'kurrentdb';

/** Sizes of the embedded database's memory; see README (configuration) for their effect on RSS. */
export interface PgliteOptions {
  /**
   * PostgreSQL's buffer cache, in MB. PGlite's own default (128) is held resident from startup
   * and makes the WASM heap grow past its 128 MB floor; a small cache leans on the OS page cache.
   */
  readonly sharedBuffersMb?: number;
}

/** Where the events and read models live. */
export interface StoreConfig {
  readonly store: StoreKind;
  /** PostgreSQL for events (store `postgres`), read models and checkpoints; null: embedded PGlite under `dataDir`. */
  readonly databaseUrl: string | null;
  readonly kurrentdbUrl: string | null;
  readonly dataDir: string;
  /** Names the pooled PostgreSQL connections (`application_name`); the app's name. */
  readonly applicationName?: string;
  /** Memory sizes of the embedded database (PGlite's defaults when absent). */
  readonly pglite?: PgliteOptions;
  /** Most connections the PostgreSQL pool opens (10 when absent). */
  readonly databasePoolMax?: number;
}
