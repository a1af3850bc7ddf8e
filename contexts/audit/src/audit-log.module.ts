import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { AppConfig } from '#platform';
import type { LeaderLock, SqlDatabase } from '#event-store';
import { LEADER_LOCK_KEYS } from '#event-store';
import { InProcessLock, PostgresAdvisoryLock } from '#event-store/adapters';
import { defineContext, SQL_DATABASE } from '#platform';
import type { AuditSettings } from './audit.settings.js';
import { readAuditSettings } from './audit.settings.js';
import { SealStore, SealedLog, resolveAuditSigningKey } from './log/index.js';
import { publicKeyOf } from '#transparency-log';
import type { AuditLogSettings } from './application/audit-log.settings.js';
import { AUDIT_LOG_SETTINGS, SEALER_LOCK } from './application/audit-log.settings.js';
import { AuditLogService } from './application/audit-log.service.js';
import { AuditSealerService, SealerHealthCheck } from './application/audit-sealer.service.js';
import { AuditLogController } from './http/audit-log.controller.js';

export interface AuditLogModuleOptions {
  readonly settings: AuditSettings;
  /** The platform's settings: where the key file lives (DATA_DIR) and the shared database, if any. */
  readonly config: Pick<AppConfig, 'dataDir' | 'databaseUrl'>;
  /** Seal in this process. Exactly one process per store seals at a time (a PostgreSQL advisory lock picks it). */
  readonly runSealer: boolean;
  /**
   * Without AUDIT_SIGNING_KEY: `generate` keeps a key in DATA_DIR (standalone); `refuse` stops
   * startup (the production Audit app).
   */
  readonly missingKey: 'generate' | 'refuse';
}

/**
 * The sealer's lock: on PostgreSQL an advisory lock on its own connection (named
 * `audit-log-sealer`), so one process per database seals; on PGlite one sealer per database object.
 */
export function sealerLock(db: SqlDatabase, databaseUrl: string | null, keepAliveMs?: number): LeaderLock {
  if (databaseUrl && db.kind === 'postgres') {
    return new PostgresAdvisoryLock(databaseUrl, {
      key: LEADER_LOCK_KEYS.auditLogSealer,
      applicationName: 'audit-log-sealer',
      ...(keepAliveMs ? { keepAliveMs } : {}),
    });
  }
  return new InProcessLock(db, LEADER_LOCK_KEYS.auditLogSealer);
}

/** The tamper-evident audit log: sealer, checkpoints, proofs, verification and export. */
@Module({})
export class AuditLogModule {
  static forRoot(options: AuditLogModuleOptions): DynamicModule {
    const { config } = options;
    // Resolved here, before Nest starts, so a missing or bad key stops startup with one line.
    const key = resolveAuditSigningKey({ dataDir: config.dataDir, signingKey: options.settings.signingKey }, options.missingKey);
    const settings: AuditLogSettings = {
      origin: options.settings.origin,
      signingKey: key.privateKey,
      runSealer: options.runSealer,
      lockDatabaseUrl: config.databaseUrl,
      keySource: key.source,
      keyFile: key.file ?? null,
    };
    return {
      module: AuditLogModule,
      controllers: [AuditLogController],
      providers: [
        { provide: AUDIT_LOG_SETTINGS, useValue: settings },
        SealerHealthCheck,
        { provide: SEALER_LOCK, useFactory: (db: SqlDatabase) => sealerLock(db, config.databaseUrl), inject: [SQL_DATABASE] },
        { provide: SealStore, useFactory: (db: SqlDatabase) => new SealStore(db), inject: [SQL_DATABASE] },
        {
          provide: SealedLog,
          useFactory: (store: SealStore) => new SealedLog(store, { publicKey: publicKeyOf(key.privateKey), origin: settings.origin }),
          inject: [SealStore],
        },
        AuditSealerService,
        AuditLogService,
      ],
      exports: [SealedLog, AuditSealerService],
    };
  }
}

/**
 * The Audit context as an app hosts it. The app's `sealer` role runs the sealer here. Without
 * AUDIT_SIGNING_KEY, `missingKey` says whether to keep a generated key in DATA_DIR (standalone) or
 * to refuse to start (the production Audit app).
 */
export function auditContext(options: { readonly missingKey: 'generate' | 'refuse' }) {
  return defineContext({
    name: 'audit',
    settings: readAuditSettings,
    module: (settings, host) =>
      AuditLogModule.forRoot({ settings, config: host.config, runSealer: host.roles.sealer === true, missingKey: options.missingKey }),
  });
}
