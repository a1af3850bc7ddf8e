import { PolicyError, VerificationError } from '@sigstore/verify';

/** What each @sigstore/verify error code means for the person reading the result. */
const LEADS: Readonly<Record<string, string>> = {
  TIMESTAMP_ERROR: 'no trusted time for the signature (a Rekor inclusion promise or an RFC 3161 timestamp from a trusted TSA)',
  CERTIFICATE_ERROR: 'the certificate is not trusted',
  PUBLIC_KEY_ERROR: 'the signing key is not trusted',
  TLOG_ERROR: 'the transparency log evidence is insufficient',
  TLOG_INCLUSION_PROOF_ERROR: 'the transparency log inclusion proof does not verify',
  TLOG_INCLUSION_PROMISE_ERROR: 'the transparency log inclusion promise does not verify with a trusted log key',
  TLOG_MISSING_INCLUSION_ERROR: 'the transparency log entry has neither an inclusion promise nor an inclusion proof',
  TLOG_BODY_ERROR: 'the transparency log entry is not for this signature',
  SIGNATURE_ERROR: 'the signature does not verify',
  UNTRUSTED_SIGNER_ERROR: 'the signer is not allowed',
};

/**
 * One line for a verification failure: the meaning of the code, then @sigstore/verify's own
 * detail and that of its cause (the chain builder hides the real reason there). Anything else
 * thrown while verifying (a body that is JSON but not a Rekor entry, say) is reported, not thrown.
 */
export function describeFailure(e: unknown): string {
  if (e instanceof VerificationError || e instanceof PolicyError) {
    const lead = LEADS[e.code] ?? e.code;
    const cause: unknown = e.cause;
    const detail = cause instanceof Error && cause.message !== '' ? `${e.message}: ${cause.message}` : e.message;
    return `${lead} (${detail})`;
  }
  return `the bundle could not be verified (${e instanceof Error ? e.message : String(e)})`;
}

export const isSignatureFailure = (e: unknown): boolean => e instanceof VerificationError && e.code === 'SIGNATURE_ERROR';
