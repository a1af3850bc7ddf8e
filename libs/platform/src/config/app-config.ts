import { resolve } from 'node:path';
import type { PgliteOptions, StoreConfig, StoreKind } from '#event-store';
import type { SettingsReader } from './settings-reader.js';
import { ConfigError, loadSettings } from './settings-reader.js';

export { ConfigError };

/**
 * The platform's settings: HTTP, store, database, Kafka, logs and metrics. Each context reads its
 * own settings (see its `<context>.settings.ts`) through the same reader at startup.
 */
export interface AppConfig extends StoreConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly store: StoreKind;
  readonly databaseUrl: string | null;
  readonly kurrentdbUrl: string | null;
  readonly pglite: Required<PgliteOptions>;
  readonly databasePoolMax: number;
  /** V8's `--optimize-for-size`: a smaller heap between collections, for lean (embedded) deployments. */
  readonly optimizeForSize: boolean;
  readonly kafkaBrokers: readonly string[] | null;
  /** Kafka client id; defaults to the app's name. */
  readonly kafkaClientId: string | null;
  /** Prefix of every topic and consumer group, so environments can share a cluster. */
  readonly kafkaTopicPrefix: string;
  /** Partitions and replication factor of the topics created at startup. */
  readonly kafkaTopicPartitions: number;
  readonly kafkaReplicationFactor: number;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  readonly metricsPublic: boolean;
  /** The environment these settings were read from; the contexts of the app read theirs from it too. */
  readonly env: NodeJS.ProcessEnv;
}

/** Small enough for a lean idle process; the OS page cache holds the rest of the data files. */
export const DEFAULT_PGLITE_SHARED_BUFFERS_MB = 16;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the platform's settings; defaults suit `npm start` on a laptop. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return loadSettings(readAppConfig, env);
}

/** The platform's settings, with problems added to the reader. */
export function readAppConfig(read: SettingsReader): AppConfig {
  const env = read.env;
  const port = read.integer('PORT', 3000, 0, 65535);
  const bodyLimitBytes = read.integer('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024);
  const databaseUrl = read.string('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) read.problem('DATABASE_URL must start with postgres:// or postgresql://');
  const kurrentdbUrl = read.string('KURRENTDB_URL');
  // The embedded database's buffer cache is most of an idle app's memory (README: configuration).
  const sharedBuffersMb = read.integer('PGLITE_SHARED_BUFFERS_MB', DEFAULT_PGLITE_SHARED_BUFFERS_MB, 4, 1024);
  const databasePoolMax = read.integer('DATABASE_POOL_MAX', 10, 1, 1000);
  const storeRaw = read.string('EVENT_STORE') ?? (databaseUrl ? 'postgres' : 'embedded');
  if (!['embedded', 'postgres', 'kurrentdb'].includes(storeRaw)) read.problem('EVENT_STORE must be embedded, postgres or kurrentdb');
  if (storeRaw === 'postgres' && !databaseUrl) read.problem('EVENT_STORE=postgres needs DATABASE_URL');
  if (storeRaw === 'kurrentdb' && !kurrentdbUrl) read.problem('EVENT_STORE=kurrentdb needs KURRENTDB_URL');
  const optimizeForSize = read.boolean('OPTIMIZE_FOR_SIZE', storeRaw === 'embedded');
  const brokers = read.string('KAFKA_BROKERS');
  const kafkaBrokers = brokers ? brokers.split(',').map((b) => b.trim()) : null;
  for (const broker of kafkaBrokers ?? []) {
    if (!/^[\w.-]+:\d{1,5}$/.test(broker)) read.problem(`KAFKA_BROKERS entry "${broker}" must be host:port`);
  }
  const kafkaClientId = read.string('KAFKA_CLIENT_ID');
  if (kafkaClientId && !/^[\w.-]{1,100}$/.test(kafkaClientId))
    read.problem('KAFKA_CLIENT_ID may hold only letters, digits, ".", "_" and "-"');
  const kafkaTopicPrefix = read.string('KAFKA_TOPIC_PREFIX') ?? '';
  if (!/^[\w.-]{0,100}$/.test(kafkaTopicPrefix)) read.problem('KAFKA_TOPIC_PREFIX may hold only letters, digits, ".", "_" and "-"');
  const kafkaTopicPartitions = read.integer('KAFKA_TOPIC_PARTITIONS', 3, 1, 1000);
  const kafkaReplicationFactor = read.integer('KAFKA_REPLICATION_FACTOR', 1, 1, 10);
  const logLevel = env['LOG_LEVEL'] ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) read.problem(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const metricsPublic = (env['METRICS_PUBLIC'] ?? 'true') !== 'false';
  return {
    port,
    host: env['HOST'] ?? '0.0.0.0',
    dataDir: resolve(env['DATA_DIR'] ?? './data'),
    store: storeRaw as StoreKind,
    databaseUrl,
    kurrentdbUrl,
    pglite: { sharedBuffersMb },
    databasePoolMax,
    optimizeForSize,
    kafkaBrokers,
    kafkaClientId,
    kafkaTopicPrefix,
    kafkaTopicPartitions,
    kafkaReplicationFactor,
    bodyLimitBytes,
    logLevel,
    metricsPublic,
    env,
  };
}
