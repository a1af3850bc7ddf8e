/** The audit log: canonical leaves of the global event order, the sealer, its seal store, verification and export. */
export { type LeafEvent, canonicalLeaf, canonicalLeafJson, leafHashOfEvent } from './canonical-leaf.js';
export { type LogProblem, type LogVerificationResult, LogVerifier } from './log-verifier.js';
export { type ResolvedSigningKey, SIGNING_KEY_FILE, resolveAuditSigningKey } from './audit-signing-key.js';
export {
  type AuditProblem,
  type AuditVerification,
  type LogEntry,
  LocatingVerifier,
  checkpointRejected,
  describeAuditVerification,
} from './audit-verification.js';
export {
  type ExportEntry,
  type ExportVerification,
  type VerifyExportOptions,
  AUDIT_LOG_EXPORT_FORMAT,
  exportLogChunks,
  leafEventOf,
  verifyExportLines,
} from './log-export.js';
export {
  type SealedBatch,
  type StoredSealerState,
  type StoredLeaf,
  ConcurrentSealerError,
  SEAL_STORE_SCHEMA,
  SealStore,
} from './seal-store.js';
export { type LogTrust, LogIntegrityError, SealedLog } from './sealed-log.js';
export { type SealerOptions, type SealerState, type SealerStatus, Sealer } from './sealer.js';
export { type StoredLogEntry, storedLogEntries, verifyStoredLog, verifyStoredLogAt } from './stored-log.js';
