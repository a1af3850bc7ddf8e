export { CompactRange } from './compact-range.js';
export { type LeafEvent, canonicalLeaf, canonicalLeafJson, leafHashOfEvent } from './canonical-leaf.js';
export {
  type CheckpointBody,
  type CheckpointInput,
  type CheckpointVerification,
  type SignedCheckpoint,
  type TrustedKey,
  checkpointBody,
  createCheckpoint,
  parseCheckpointBody,
  verifyCheckpoint,
} from './checkpoint.js';
export { bytesEqual, fromBase64, fromHex, toBase64, toHex } from './encoding.js';
export {
  type LogProblem,
  type LogVerificationResult,
  type LogVerifierOptions,
  type VerifyLogOptions,
  LogVerifier,
  verifyLog,
  verifyLogAsync,
} from './log-verifier.js';
export { HASH_SIZE, emptyRoot, leafHashOf, nodeHashOf } from './merkle-hash.js';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './merkle-proof-verifier.js';
export { MerkleTree } from './merkle-tree.js';
export {
  type Note,
  type NoteSignature,
  type NoteVerifierKey,
  ED25519_SIGNATURE_TYPE,
  formatVerifierKey,
  noteKeyHash,
  noteVerifierKey,
  parseNote,
  parseVerifierKey,
  signNote,
  verifyNote,
} from './signed-note.js';
export {
  type SigningKeyPair,
  exportPublicKeyBase64,
  exportPublicKeyRaw,
  exportSigningKeySeed,
  generateSigningKeyPair,
  importPublicKey,
  importSigningKey,
  publicKeyOf,
  signingKeyFromSeed,
} from './signing-key.js';
export { type AuditLogConfig, DEFAULT_AUDIT_LOG_ORIGIN, loadAuditLogConfig } from './audit-log-config.js';
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
export { type HeldLock, type SealerLock, InProcessLock, PostgresAdvisoryLock, SEALER_LOCK_KEY } from './sealer-lock.js';
export { type StoredLogEntry, storedLogEntries, verifyStoredLog, verifyStoredLogAt } from './stored-log.js';
