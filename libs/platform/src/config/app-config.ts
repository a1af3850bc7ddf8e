import { resolve } from 'node:path';

export type StoreKind = 'embedded' | 'postgres' | 'kurrentdb';

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly store: StoreKind;
  readonly databaseUrl: string | null;
  readonly kurrentdbUrl: string | null;
  readonly kafkaBrokers: readonly string[] | null;
  readonly bootstrapAdminToken: string | null;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  readonly metricsPublic: boolean;
}

/** Thrown with every problem at once, so an operator fixes the environment in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the environment; defaults suit `npm start` on a laptop. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const port = integer(env['PORT'] ?? '3000', 'PORT', 0, 65535, problems);
  const bodyLimitBytes = integer(env['BODY_LIMIT_BYTES'] ?? String(1024 * 1024), 'BODY_LIMIT_BYTES', 1024, 64 * 1024 * 1024, problems);
  const databaseUrl = nonEmpty(env['DATABASE_URL']);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  const kurrentdbUrl = nonEmpty(env['KURRENTDB_URL']);
  const storeRaw = nonEmpty(env['EVENT_STORE']) ?? (databaseUrl ? 'postgres' : 'embedded');
  if (!['embedded', 'postgres', 'kurrentdb'].includes(storeRaw)) problems.push('EVENT_STORE must be embedded, postgres or kurrentdb');
  if (storeRaw === 'postgres' && !databaseUrl) problems.push('EVENT_STORE=postgres needs DATABASE_URL');
  if (storeRaw === 'kurrentdb' && !kurrentdbUrl) problems.push('EVENT_STORE=kurrentdb needs KURRENTDB_URL');
  const brokers = nonEmpty(env['KAFKA_BROKERS']);
  const kafkaBrokers = brokers ? brokers.split(',').map((b) => b.trim()) : null;
  for (const broker of kafkaBrokers ?? []) {
    if (!/^[\w.-]+:\d{1,5}$/.test(broker)) problems.push(`KAFKA_BROKERS entry "${broker}" must be host:port`);
  }
  const bootstrapAdminToken = nonEmpty(env['BOOTSTRAP_ADMIN_TOKEN']);
  if (bootstrapAdminToken && bootstrapAdminToken.length < 16) problems.push('BOOTSTRAP_ADMIN_TOKEN must be at least 16 characters');
  const logLevel = env['LOG_LEVEL'] ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const metricsPublic = (env['METRICS_PUBLIC'] ?? 'true') !== 'false';
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: env['HOST'] ?? '0.0.0.0',
    dataDir: resolve(env['DATA_DIR'] ?? './data'),
    store: storeRaw as StoreKind,
    databaseUrl,
    kurrentdbUrl,
    kafkaBrokers,
    bootstrapAdminToken,
    bodyLimitBytes,
    logLevel,
    metricsPublic,
  };
}

function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() !== '' ? value.trim() : null;
}

function integer(raw: string, name: string, min: number, max: number, problems: string[]): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    return min;
  }
  return value;
}

/** The URL without its password, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}
