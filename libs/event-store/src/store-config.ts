export type StoreKind = 'embedded' | 'postgres' | 'kurrentdb';

/** Where the events and read models live. */
export interface StoreConfig {
  readonly store: StoreKind;
  /** PostgreSQL for events (store `postgres`), read models and checkpoints; null: embedded PGlite under `dataDir`. */
  readonly databaseUrl: string | null;
  readonly kurrentdbUrl: string | null;
  readonly dataDir: string;
  /** Names the pooled PostgreSQL connections (`application_name`); the app's name. */
  readonly applicationName?: string;
}
