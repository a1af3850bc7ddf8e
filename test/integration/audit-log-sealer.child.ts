import 'reflect-metadata';
import { importSigningKey, publicKeyOf } from '#transparency-log';
import { LEADER_LOCK_KEYS } from '#event-store';
import { PostgresAdvisoryLock, PostgresDatabase, SqlEventStore } from '#event-store/adapters';
import { SealStore, SealedLog, Sealer } from '../../contexts/audit/src/log/index.js';

/**
 * A sealer alone in its process, for the crash test (audit-log-sealer.int.spec.ts), which kills it
 * with SIGKILL mid-run. Configured by DATABASE_URL, AUDIT_SIGNING_KEY, AUDIT_LOG_ORIGIN, BATCH_SIZE.
 */
const url = process.env['DATABASE_URL']!;
const signingKey = importSigningKey(process.env['AUDIT_SIGNING_KEY']!);
const origin = process.env['AUDIT_LOG_ORIGIN']!;
const db = new PostgresDatabase({ connectionString: url });
const log = new SealedLog(new SealStore(db), { publicKey: publicKeyOf(signingKey), origin });
const sealer = new Sealer({
  store: new SqlEventStore(db),
  log,
  signingKey,
  origin,
  // The lock sealerLock (audit-log.module.ts) takes on PostgreSQL, built here so that this process
  // does not load Nest: it must start within the test's deadline.
  lock: new PostgresAdvisoryLock(url, { key: LEADER_LOCK_KEYS.auditLogSealer, applicationName: 'audit-log-sealer' }),
  batchSize: Number(process.env['BATCH_SIZE'] ?? '100'),
  batchIntervalMs: 0,
  onError: (error) => process.stderr.write(`sealer error: ${String(error)}\n`),
});
sealer.start();
process.stdout.write('sealer started\n');
