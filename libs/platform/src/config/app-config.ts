import { resolve } from 'node:path';
import type { AccessControlConfig } from '../auth/access-config.js';
import { loadAccessControlConfig } from '../auth/access-config.js';
import type { AuditLogConfig } from '../../../../contexts/audit/src/log/audit-log-config.js';
import { loadAuditLogConfig } from '../../../../contexts/audit/src/log/audit-log-config.js';

import type { StoreKind } from '#event-store/adapters';

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly store: StoreKind;
  readonly databaseUrl: string | null;
  readonly kurrentdbUrl: string | null;
  readonly kafkaBrokers: readonly string[] | null;
  /** Kafka client id; defaults to the app's name. */
  readonly kafkaClientId: string | null;
  /** Prefix of every topic and consumer group, so environments can share a cluster. */
  readonly kafkaTopicPrefix: string;
  /** Partitions and replication factor of the topics created at startup. */
  readonly kafkaTopicPartitions: number;
  readonly kafkaReplicationFactor: number;
  readonly bootstrapAdminToken: string | null;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  readonly metricsPublic: boolean;
  /** Policy engine, OIDC, segregation of duties and change window (see auth/access-config.ts). */
  readonly accessControl: AccessControlConfig;
  /** CDEvents of unknown types or versions are stored flagged unvalidated instead of refused. */
  readonly cdeventsAcceptUnknown: boolean;
  /** CDEvents ingest per principal: events per second (0 = unlimited) and the burst allowed. */
  readonly ingestRateLimit: number;
  readonly ingestRateBurst: number;
  /** Environment ids (lower case) whose deployments count for DORA metrics. */
  readonly productionEnvironments: readonly string[];
  /** Checkpoint signing key and log origin of the tamper-evident audit log. */
  readonly auditLog: AuditLogConfig;
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
  const kafkaClientId = nonEmpty(env['KAFKA_CLIENT_ID']);
  if (kafkaClientId && !/^[\w.-]{1,100}$/.test(kafkaClientId)) problems.push('KAFKA_CLIENT_ID may hold only letters, digits, ".", "_" and "-"');
  const kafkaTopicPrefix = nonEmpty(env['KAFKA_TOPIC_PREFIX']) ?? '';
  if (!/^[\w.-]{0,100}$/.test(kafkaTopicPrefix)) problems.push('KAFKA_TOPIC_PREFIX may hold only letters, digits, ".", "_" and "-"');
  const kafkaTopicPartitions = integer(env['KAFKA_TOPIC_PARTITIONS'] ?? '3', 'KAFKA_TOPIC_PARTITIONS', 1, 1000, problems);
  const kafkaReplicationFactor = integer(env['KAFKA_REPLICATION_FACTOR'] ?? '1', 'KAFKA_REPLICATION_FACTOR', 1, 10, problems);
  const bootstrapAdminToken = nonEmpty(env['BOOTSTRAP_ADMIN_TOKEN']);
  if (bootstrapAdminToken && bootstrapAdminToken.length < 16) problems.push('BOOTSTRAP_ADMIN_TOKEN must be at least 16 characters');
  const logLevel = env['LOG_LEVEL'] ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const metricsPublic = (env['METRICS_PUBLIC'] ?? 'true') !== 'false';
  const accessControl = loadAccessControlConfig(env, problems);
  const acceptUnknownRaw = env['CDEVENTS_ACCEPT_UNKNOWN'] ?? 'false';
  if (acceptUnknownRaw !== 'true' && acceptUnknownRaw !== 'false') problems.push('CDEVENTS_ACCEPT_UNKNOWN must be true or false');
  const ingestRateLimit = integer(env['INGEST_RATE_LIMIT'] ?? '1000', 'INGEST_RATE_LIMIT', 0, 10_000_000, problems);
  const defaultBurst = String(Math.max(2 * ingestRateLimit, 100));
  const ingestRateBurst = integer(env['INGEST_RATE_BURST'] ?? defaultBurst, 'INGEST_RATE_BURST', 1, 100_000_000, problems);
  const productionEnvironments = (env['PRODUCTION_ENVIRONMENTS'] ?? 'production,prod').split(',').map((e) => e.trim().toLowerCase());
  if (productionEnvironments.some((e) => !/^[a-z0-9][a-z0-9._-]{0,127}$/.test(e))) {
    problems.push('PRODUCTION_ENVIRONMENTS must be a comma-separated list of environment ids (letters, digits, . _ -)');
  }
  const auditLog = loadAuditLogConfig(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: env['HOST'] ?? '0.0.0.0',
    dataDir: resolve(env['DATA_DIR'] ?? './data'),
    store: storeRaw as StoreKind,
    databaseUrl,
    kurrentdbUrl,
    kafkaBrokers,
    kafkaClientId,
    kafkaTopicPrefix,
    kafkaTopicPartitions,
    kafkaReplicationFactor,
    bootstrapAdminToken,
    bodyLimitBytes,
    logLevel,
    metricsPublic,
    accessControl,
    cdeventsAcceptUnknown: acceptUnknownRaw === 'true',
    ingestRateLimit,
    ingestRateBurst,
    productionEnvironments,
    auditLog,
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
