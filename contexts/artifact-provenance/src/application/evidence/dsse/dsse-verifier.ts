import type { DsseEnvelope } from './dsse-envelope.js';
import { preAuthenticationEncoding } from './pae.js';
import { signatureVerifies } from './signature-check.js';
import { loadTrustedKeys, type TrustedKey, type UnusableKey } from './trusted-keys.js';

export interface SignatureOutcome {
  /** Index in the envelope's `signatures`. */
  readonly index: number;
  readonly keyid: string | undefined;
  /** The trusted key that verified it, or undefined when none did. */
  readonly verifiedBy: string | undefined;
  /** Why it did not verify; undefined when it did. */
  readonly failure: string | undefined;
}

export interface DsseVerification {
  readonly payloadType: string;
  /** The bytes that were verified: parse these, never the envelope again. */
  readonly payload: Buffer;
  /** Distinct trusted key ids with at least one valid signature, in the order first verified. */
  readonly verifiedKeyIds: readonly string[];
  readonly signatures: readonly SignatureOutcome[];
  /** Trusted keys that could not be used at all. */
  readonly unusableKeys: readonly UnusableKey[];
}

/**
 * Checks every signature of the envelope against the project's trusted keys (DSSE protocol:
 * verify over PAE(payloadType, payload)). `keyid` is an unauthenticated hint: a signature whose
 * keyid names a trusted key is tried against that key first, but every trusted key is tried, so
 * a producer's own key-id scheme neither hides a valid signature nor forges a match. Never throws
 * for a bad signature: the result says which keys verified and why the others failed, and the
 * gate decides how many it needs (`meetsThreshold`).
 */
export function verifyDsseEnvelope(envelope: DsseEnvelope, trustedKeys: readonly TrustedKey[]): DsseVerification {
  const { usable, unusable } = loadTrustedKeys(trustedKeys);
  const message = preAuthenticationEncoding(envelope.payloadType, envelope.payload);
  const verified: string[] = [];
  const signatures = envelope.signatures.map((signature, index): SignatureOutcome => {
    const base = { index, keyid: signature.keyid };
    if (usable.length === 0) {
      return {
        ...base,
        verifiedBy: undefined,
        failure: trustedKeys.length === 0 ? 'the project trusts no keys' : 'no trusted key is usable',
      };
    }
    const hinted = usable.filter((k) => k.keyId === signature.keyid);
    const ordered = [...hinted, ...usable.filter((k) => k.keyId !== signature.keyid)];
    const key = ordered.find((k) => signatureVerifies(k, message, signature.sig));
    if (key !== undefined) {
      if (!verified.includes(key.keyId)) verified.push(key.keyId);
      return { ...base, verifiedBy: key.keyId, failure: undefined };
    }
    const failure =
      hinted.length > 0
        ? `does not verify with trusted key "${signature.keyid}" nor any other trusted key`
        : `verifies with none of the ${usable.length} trusted key(s)`;
    return { ...base, verifiedBy: undefined, failure };
  });
  return { payloadType: envelope.payloadType, payload: envelope.payload, verifiedKeyIds: verified, signatures, unusableKeys: unusable };
}

/** DSSE (t, n) rule: valid when at least `threshold` distinct trusted keys verified. */
export const meetsThreshold = (result: DsseVerification, threshold = 1): boolean => result.verifiedKeyIds.length >= Math.max(1, threshold);
