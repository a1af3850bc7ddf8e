import { appendPointer } from '#kernel';
import { FieldErrors, isJsonObject, optionalString, requiredArray, requiredString } from '../json-fields.js';
import { decodeBase64 } from './base64.js';

/** A DSSE JSON envelope, decoded: the exact payload bytes that the signatures cover. */
export interface DsseEnvelope {
  readonly payloadType: string;
  readonly payload: Buffer;
  readonly signatures: readonly DsseSignature[];
}

export interface DsseSignature {
  /** Unauthenticated hint; never decides anything. Unset and "" are the same (undefined). */
  readonly keyid: string | undefined;
  readonly sig: Buffer;
}

/**
 * More signatures than any signing setup uses; each one costs a verification per trusted key, so
 * an envelope with thousands would be a way to burn CPU.
 */
export const MAX_DSSE_SIGNATURES = 32;

const BASE64_MESSAGE = 'must be base64 (standard or URL-safe alphabet)';

/**
 * Reads `{payloadType, payload, signatures: [{keyid?, sig}]}` (DSSE envelope 1.0.2). All four
 * required fields must be present, even if empty; unknown fields are ignored, as the spec says.
 * Throws kernel `Invalid` listing every bad field by JSON Pointer.
 */
export function parseDsseEnvelope(input: unknown): DsseEnvelope {
  const errors = new FieldErrors();
  if (!isJsonObject(input)) {
    errors.add('', 'must be a DSSE envelope object {payloadType, payload, signatures}');
    errors.throwIfAny('the DSSE envelope');
  }
  const envelope = input as Record<string, unknown>;
  const payloadType = requiredString(envelope, 'payloadType', '', errors);
  const payloadText = requiredString(envelope, 'payload', '', errors);
  const payload = payloadText === undefined ? undefined : decodeBase64(payloadText);
  if (payloadText !== undefined && payload === undefined) errors.add('/payload', BASE64_MESSAGE);
  const list = requiredArray(envelope, 'signatures', '', errors) ?? [];
  if (list.length > MAX_DSSE_SIGNATURES) errors.add('/signatures', `must hold at most ${MAX_DSSE_SIGNATURES} signatures`);
  const signatures: DsseSignature[] = [];
  list.slice(0, MAX_DSSE_SIGNATURES).forEach((item, i) => {
    const at = appendPointer('/signatures', i);
    if (!isJsonObject(item)) return errors.add(at, 'must be an object {keyid?, sig}');
    const keyid = optionalString(item, 'keyid', at, errors);
    const sigText = requiredString(item, 'sig', at, errors);
    if (sigText === undefined) return;
    const sig = decodeBase64(sigText);
    if (sig === undefined) return errors.add(`${at}/sig`, BASE64_MESSAGE);
    signatures.push({ keyid: keyid === '' ? undefined : keyid, sig });
  });
  errors.throwIfAny('the DSSE envelope');
  return { payloadType: payloadType!, payload: payload!, signatures };
}
