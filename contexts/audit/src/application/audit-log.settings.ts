import type { KeyObject } from 'node:crypto';

/** How this app runs the audit log, fixed at startup by AuditLogModule.forRoot. */
export interface AuditLogSettings {
  readonly origin: string;
  readonly signingKey: KeyObject;
  /** Whether this process seals (standalone and the production Audit app do). */
  readonly runSealer: boolean;
  /** PostgreSQL URL for the sealer's advisory lock; null on the embedded store. */
  readonly lockDatabaseUrl: string | null;
  /** Where the key came from (see resolveAuditSigningKey), and its file when it lives in DATA_DIR. */
  readonly keySource: 'configured' | 'file' | 'generated';
  readonly keyFile: string | null;
}

export const AUDIT_LOG_SETTINGS = Symbol('AUDIT_LOG_SETTINGS');
/** The sealer's LeaderLock, chosen by the module for the store in use. */
export const SEALER_LOCK = Symbol('SEALER_LOCK');
