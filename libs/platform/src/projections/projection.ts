import type { RecordedEvent } from '#kernel';
import type { SqlExecutor } from '#event-store';

/**
 * A read model fed from the global event order. `apply` runs inside the transaction that also
 * stores the projection's checkpoint, so a crash never applies an event twice or loses one.
 *
 * Each version of a projection lives in its own PostgreSQL schema, `readModelSchema(name,
 * version)` (e.g. `rm_telemetry_metrics_v2`), next to its checkpoint in `read_model_versions`.
 * A version the database does not have yet is built by the runner from position zero into its
 * fresh schema; its queries name the tables through `readModelTables`, so the projection and its
 * queries take the names from one place.
 */
export interface Projection {
  readonly name: string;
  /**
   * Bump it whenever the tables or what `apply` writes into them change: the runner then builds
   * the new version from the whole log into a new schema, and drops versions older than the one
   * before it once the new one has caught up.
   */
  readonly version: number;
  /**
   * DDL creating the tables (and indexes) in the version's schema, run once, in one transaction,
   * when the version is first built or rebuilt. Statements are separated by `;` (none may contain
   * one); tables are named schema-qualified, through `readModelTables`.
   */
  readonly schema: string;
  /**
   * Optional: the event types `apply` acts on. When given, the runner reads only their bodies and
   * passes only them; a stretch of the log without any of them costs no read-model transaction.
   */
  readonly eventTypes?: readonly string[];
  apply(tx: SqlExecutor, event: RecordedEvent): Promise<void>;
  /**
   * Optional: applies a batch in fewer statements, used instead of `apply` when present. It must
   * leave the same rows as applying the events one by one, however the log is cut into batches.
   */
  applyBatch?(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Optional: told of every batch of its event types in log order, in every process of the app:
   * on the active runner just before the batch is applied, on a standby as it follows the log
   * (a standby applies nothing). For in-memory caches that must drop what a change touches.
   * May see an event more than once.
   */
  observe?(events: readonly RecordedEvent[]): void;
}

/** The PostgreSQL schema holding one version of a projection's tables: `rm_<name>_v<version>`. */
export function readModelSchema(name: string, version: number): string {
  if (!Number.isInteger(version) || version < 1) throw new RangeError(`projection ${name}: version must be a positive integer`);
  return `rm_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_v${version}`;
}

/** The statements that create one projection version's schema and tables afresh (the runner runs them in one transaction). */
export function readModelDdl(projection: Pick<Projection, 'name' | 'version' | 'schema'>): string[] {
  const schema = readModelSchema(projection.name, projection.version);
  const tables = projection.schema
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return [`DROP SCHEMA IF EXISTS ${schema} CASCADE`, `CREATE SCHEMA ${schema}`, ...tables];
}

/**
 * Schema-qualified names of one projection version's tables, for its DDL, its `apply` and its
 * queries: `readModelTables('telemetry-metrics', 1, ['runs']).runs === 'rm_telemetry_metrics_v1.runs'`.
 */
export function readModelTables<const T extends readonly string[]>(
  name: string,
  version: number,
  tables: T,
): { readonly schema: string } & { readonly [K in T[number]]: string } {
  const schema = readModelSchema(name, version);
  return Object.freeze({ schema, ...Object.fromEntries(tables.map((t) => [t, `${schema}.${t}`])) }) as { readonly schema: string } & {
    readonly [K in T[number]]: string;
  };
}
