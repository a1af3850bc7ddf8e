import type { SettingsReader } from '#platform';

/** Telemetry's settings: what ingest accepts and how fast, and which environments count for DORA. */
export interface TelemetrySettings {
  /** `CDEVENTS_ACCEPT_UNKNOWN`: CDEvents of unknown types or versions are stored flagged unvalidated instead of refused. */
  readonly cdeventsAcceptUnknown: boolean;
  /** `INGEST_RATE_LIMIT` / `INGEST_RATE_BURST`: CDEvents per second per principal (0 = unlimited) and the burst allowed. */
  readonly ingestRateLimit: number;
  readonly ingestRateBurst: number;
  /** `PRODUCTION_ENVIRONMENTS`: environment ids (lower case) whose deployments count for DORA metrics. */
  readonly productionEnvironments: readonly string[];
}

export const TELEMETRY_SETTINGS = Symbol('TELEMETRY_SETTINGS');

/** Reads Telemetry's settings, adding every problem found to the reader. */
export function readTelemetrySettings(read: SettingsReader): TelemetrySettings {
  const cdeventsAcceptUnknown = read.boolean('CDEVENTS_ACCEPT_UNKNOWN', false);
  const ingestRateLimit = read.integer('INGEST_RATE_LIMIT', 1000, 0, 10_000_000);
  const ingestRateBurst = read.integer('INGEST_RATE_BURST', Math.max(2 * ingestRateLimit, 100), 1, 100_000_000);
  const productionEnvironments = read.list('PRODUCTION_ENVIRONMENTS', 'production,prod').map((e) => e.toLowerCase());
  if (productionEnvironments.some((e) => !/^[a-z0-9][a-z0-9._-]{0,127}$/.test(e))) {
    read.problem('PRODUCTION_ENVIRONMENTS must be a comma-separated list of environment ids (letters, digits, . _ -)');
  }
  return { cdeventsAcceptUnknown, ingestRateLimit, ingestRateBurst, productionEnvironments };
}
