import { appendPointer } from '#kernel';
import { type FieldErrors, type JsonObject, isJsonObject, member, optionalObject, requiredObject, requiredString } from '../json-fields.js';
import { boundedArray, readBytes, requiredBytes, requiredInt64 } from './protobuf-json.js';

/** Bundles carry one Rekor entry, a few when several logs are used; more is a way to burn CPU. */
export const MAX_TLOG_ENTRIES = 8;
/** RFC 3161 timestamps per bundle, for the same reason. */
export const MAX_RFC3161_TIMESTAMPS = 8;
/** An inclusion proof in a tree of 2^63 leaves has 63 hashes. */
const MAX_PROOF_HASHES = 64;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks `verificationMaterial.tlogEntries` (Rekor TransparencyLogEntry, protobuf JSON). Bundle
 * v0.1 relies on the inclusion promise (SET); from v0.2 on, the spec requires an inclusion proof
 * with its checkpoint, as @sigstore/bundle does.
 */
export function checkTlogEntries(material: JsonObject, version: string | undefined, base: string, errors: FieldErrors): void {
  const entries = boundedArray(material, 'tlogEntries', base, errors, { required: true, max: MAX_TLOG_ENTRIES }) ?? [];
  entries.forEach((entry, i) => {
    const at = appendPointer(appendPointer(base, 'tlogEntries'), i);
    if (!isJsonObject(entry)) return errors.add(at, 'must be a transparency log entry object');
    checkTlogEntry(entry, version, at, errors);
  });
}

function checkTlogEntry(entry: JsonObject, version: string | undefined, at: string, errors: FieldErrors): void {
  requiredInt64(entry, 'logIndex', at, errors);
  const logId = requiredObject(entry, 'logId', at, errors);
  if (logId !== undefined) requiredBytes(logId, 'keyId', appendPointer(at, 'logId'), errors);
  const kindVersion = requiredObject(entry, 'kindVersion', at, errors);
  if (kindVersion !== undefined) {
    requiredString(kindVersion, 'kind', appendPointer(at, 'kindVersion'), errors, { nonEmpty: true });
    requiredString(kindVersion, 'version', appendPointer(at, 'kindVersion'), errors, { nonEmpty: true });
  }
  // Rekor v2 entries carry no integrated time (their time comes from a timestamp authority).
  if (member(entry, 'integratedTime') !== undefined) requiredInt64(entry, 'integratedTime', at, errors);
  const promise = optionalObject(entry, 'inclusionPromise', at, errors);
  if (promise !== undefined) requiredBytes(promise, 'signedEntryTimestamp', appendPointer(at, 'inclusionPromise'), errors);
  else if (version === '0.1') errors.add(appendPointer(at, 'inclusionPromise'), 'is required in a v0.1 bundle');
  const proof = optionalObject(entry, 'inclusionProof', at, errors);
  if (proof !== undefined) checkInclusionProof(proof, appendPointer(at, 'inclusionProof'), errors);
  else if (version !== undefined && version !== '0.1')
    errors.add(appendPointer(at, 'inclusionProof'), `is required in a v${version} bundle`);
  const body = requiredBytes(entry, 'canonicalizedBody', at, errors);
  if (body !== undefined && !isJsonObjectText(body))
    errors.add(appendPointer(at, 'canonicalizedBody'), 'must be base64 of a JSON object (the Rekor entry body)');
}

function checkInclusionProof(proof: JsonObject, at: string, errors: FieldErrors): void {
  requiredInt64(proof, 'logIndex', at, errors);
  requiredBytes(proof, 'rootHash', at, errors);
  requiredInt64(proof, 'treeSize', at, errors);
  const hashes = boundedArray(proof, 'hashes', at, errors, { required: false, max: MAX_PROOF_HASHES }) ?? [];
  hashes.forEach((hash, i) => readBytes(hash, appendPointer(appendPointer(at, 'hashes'), i), errors));
  const checkpoint = requiredObject(proof, 'checkpoint', at, errors);
  if (checkpoint !== undefined) requiredString(checkpoint, 'envelope', appendPointer(at, 'checkpoint'), errors, { nonEmpty: true });
}

/** `timestampVerificationData.rfc3161Timestamps`: DER timestamp responses, read later by @sigstore/core. */
export function checkTimestampData(material: JsonObject, base: string, errors: FieldErrors): number {
  const data = optionalObject(material, 'timestampVerificationData', base, errors);
  if (data === undefined) return 0;
  const at = appendPointer(base, 'timestampVerificationData');
  const list = boundedArray(data, 'rfc3161Timestamps', at, errors, { required: false, max: MAX_RFC3161_TIMESTAMPS }) ?? [];
  list.forEach((item, i) => {
    const itemAt = appendPointer(appendPointer(at, 'rfc3161Timestamps'), i);
    if (!isJsonObject(item)) return errors.add(itemAt, 'must be an object {signedTimestamp}');
    requiredBytes(item, 'signedTimestamp', itemAt, errors);
  });
  return list.length;
}

function isJsonObjectText(bytes: Buffer): boolean {
  try {
    return isJsonObject(JSON.parse(UTF8.decode(bytes)));
  } catch {
    return false;
  }
}
