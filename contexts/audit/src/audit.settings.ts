import type { SettingsReader } from '#platform';
import { isValidKeyName, importSigningKey } from '#transparency-log';

export const DEFAULT_AUDIT_LOG_ORIGIN = 'compliance-ledger/audit-log';

/** Audit's settings: the tamper-evident log's checkpoint signing key and origin. */
export interface AuditSettings {
  /**
   * `AUDIT_SIGNING_KEY`: the Ed25519 checkpoint signing key as given (PKCS#8 PEM or base64 of the
   * 32-byte seed), already checked to parse; null when unset. A secret: never log it.
   */
  readonly signingKey: string | null;
  /** `AUDIT_LOG_ORIGIN`: the log's identity, first line of every checkpoint and its key name. */
  readonly origin: string;
}

/** Reads `AUDIT_SIGNING_KEY` and `AUDIT_LOG_ORIGIN`, adding any problem to the reader. */
export function readAuditSettings(read: SettingsReader): AuditSettings {
  const problems = read.problems;
  const rawKey = read.string('AUDIT_SIGNING_KEY');
  if (rawKey !== null) {
    try {
      importSigningKey(rawKey);
    } catch {
      // The reason may quote key material, so it is not repeated.
      problems.push('AUDIT_SIGNING_KEY must be an Ed25519 PKCS#8 PEM or base64 of a 32-byte Ed25519 seed');
    }
  }
  const origin = read.string('AUDIT_LOG_ORIGIN') ?? DEFAULT_AUDIT_LOG_ORIGIN;
  if (!isValidKeyName(origin)) problems.push('AUDIT_LOG_ORIGIN must be non-empty, without spaces or "+" (e.g. ledger.example.com/audit)');
  return { signingKey: rawKey, origin };
}
