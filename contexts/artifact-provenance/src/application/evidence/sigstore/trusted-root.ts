import { TrustedRoot, hashAlgorithmFromJSON, publicKeyDetailsFromJSON } from '@sigstore/protobuf-specs';
import { type TrustMaterial, toTrustMaterial } from '@sigstore/verify';
import { type FieldError, Invalid, appendPointer } from '#kernel';
import {
  FieldErrors,
  type JsonObject,
  isJsonObject,
  member,
  optionalInstant,
  optionalObject,
  requiredObject,
  requiredString,
} from '../json-fields.js';
import { boundedArray, requiredBytes, requiredCertificate } from './protobuf-json.js';

/** The media types of Sigstore's `trusted_root.json` (its TUF repository serves 0.1; 0.2 adds Rekor v2 checkpoint key ids). */
export const TRUSTED_ROOT_MEDIA_TYPES: readonly string[] = [
  'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  'application/vnd.dev.sigstore.trustedroot.v0.2+json',
];

/** Far more than any instance lists (public-good: a handful of each, counting rotated keys). */
const MAX_AUTHORITIES = 64;
const MAX_CHAIN_CERTIFICATES = 10;

/** A trusted root that loaded: what @sigstore/verify checks bundles against, and a count for the startup log. */
export interface SigstoreTrustedRoot {
  readonly mediaType: string;
  readonly material: TrustMaterial;
  readonly certificateAuthorities: number;
  readonly tlogs: number;
  readonly ctlogs: number;
  readonly timestampAuthorities: number;
}

const LISTS = ['certificateAuthorities', 'tlogs', 'ctlogs', 'timestampAuthorities'] as const;

/**
 * Loads a Sigstore TrustedRoot (the `trusted_root.json` of a Sigstore TUF repository, or one an
 * operator writes for a private instance): its text, or that text already parsed. Checks every
 * field before the protobuf reader sees it, because that reader takes a bad date as Invalid Date
 * and bad base64 as whatever bytes it makes of it, and the root would then quietly trust nothing.
 * Throws kernel `Invalid` whose message names every problem, for a startup log line.
 */
export function loadSigstoreTrustedRoot(input: unknown): SigstoreTrustedRoot {
  const json = typeof input === 'string' || input instanceof Uint8Array ? parseText(input) : input;
  const errors = new FieldErrors();
  if (!isJsonObject(json)) {
    errors.add('', 'must be a Sigstore TrustedRoot object {mediaType, tlogs, certificateAuthorities, ctlogs, timestampAuthorities}');
    throwIfAny(errors);
  }
  const root = json as JsonObject;
  const mediaType = requiredString(root, 'mediaType', '', errors);
  if (mediaType !== undefined && !TRUSTED_ROOT_MEDIA_TYPES.includes(mediaType)) {
    errors.add('/mediaType', `must be ${TRUSTED_ROOT_MEDIA_TYPES.join(' or ')}`);
  }
  const counts = { certificateAuthorities: 0, tlogs: 0, ctlogs: 0, timestampAuthorities: 0 };
  for (const list of LISTS) {
    const items = boundedArray(root, list, '', errors, { required: false, max: MAX_AUTHORITIES }) ?? [];
    counts[list] = items.length;
    items.forEach((item, i) => {
      const at = appendPointer(`/${list}`, i);
      if (!isJsonObject(item)) return errors.add(at, 'must be an object');
      const before = errors.list.length;
      if (list === 'tlogs' || list === 'ctlogs') checkLog(item, at, errors);
      else checkAuthority(item, at, errors);
      // Only an entry whose fields passed goes to the library: what it still refuses, it refuses alone.
      if (errors.list.length === before) checkWithLibrary(list, item, at, errors);
    });
  }
  if (Object.values(counts).every((n) => n === 0)) {
    errors.add('', 'trusts nothing: it lists no certificate authority, transparency log, CT log or timestamp authority');
  }
  throwIfAny(errors);
  return { mediaType: mediaType!, material: toTrustMaterial(TrustedRoot.fromJSON(root)), ...counts };
}

function parseText(input: string | Uint8Array): unknown {
  try {
    const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
    return JSON.parse(text) as unknown;
  } catch (e) {
    const reason = e instanceof SyntaxError ? e.message : 'not UTF-8 text';
    throw new Invalid(`the Sigstore trusted root is not JSON: ${reason}`, [{ pointer: '', message: `is not JSON: ${reason}` }]);
  }
}

/** A Rekor or CT log: its key (with the algorithm it is used with) and the id that entries and SCTs name it by. */
function checkLog(log: JsonObject, at: string, errors: FieldErrors): void {
  requiredString(log, 'baseUrl', at, errors, { nonEmpty: true, uri: true });
  const hash = member(log, 'hashAlgorithm');
  if (hash !== undefined) knownEnum(hashAlgorithmFromJSON, hash, appendPointer(at, 'hashAlgorithm'), errors);
  const key = requiredObject(log, 'publicKey', at, errors);
  if (key !== undefined) {
    const keyAt = appendPointer(at, 'publicKey');
    requiredBytes(key, 'rawBytes', keyAt, errors);
    const details = member(key, 'keyDetails');
    if (details === undefined) errors.add(appendPointer(keyAt, 'keyDetails'), 'is required');
    else knownEnum(publicKeyDetailsFromJSON, details, appendPointer(keyAt, 'keyDetails'), errors);
    checkValidFor(key, keyAt, errors);
  }
  for (const id of ['logId', 'checkpointKeyId']) {
    const value = id === 'logId' ? requiredObject(log, id, at, errors) : optionalObject(log, id, at, errors);
    if (value !== undefined) requiredBytes(value, 'keyId', appendPointer(at, id), errors);
  }
}

/** A Fulcio CA or a timestamp authority: its chain (leaf or intermediate first, root last) and when it was trusted. */
function checkAuthority(authority: JsonObject, at: string, errors: FieldErrors): void {
  const chain = requiredObject(authority, 'certChain', at, errors);
  if (chain !== undefined) {
    const chainAt = appendPointer(at, 'certChain');
    const certificates = boundedArray(chain, 'certificates', chainAt, errors, { required: true, max: MAX_CHAIN_CERTIFICATES });
    if (certificates?.length === 0) errors.add(appendPointer(chainAt, 'certificates'), 'must hold at least one certificate');
    (certificates ?? []).forEach((item, i) => {
      const certAt = appendPointer(appendPointer(chainAt, 'certificates'), i);
      if (!isJsonObject(item)) return errors.add(certAt, 'must be an object {rawBytes}');
      requiredCertificate(item, 'rawBytes', certAt, errors);
    });
  }
  checkValidFor(authority, at, errors);
}

function checkValidFor(obj: JsonObject, at: string, errors: FieldErrors): void {
  const range = optionalObject(obj, 'validFor', at, errors);
  if (range === undefined) return;
  const rangeAt = appendPointer(at, 'validFor');
  const start = optionalInstant(range, 'start', rangeAt, errors);
  const end = optionalInstant(range, 'end', rangeAt, errors);
  if (start !== undefined && end !== undefined && end < start) errors.add(appendPointer(rangeAt, 'end'), 'must not be before start');
}

function knownEnum(read: (value: unknown) => unknown, value: unknown, pointer: string, errors: FieldErrors): void {
  try {
    read(value);
  } catch {
    errors.add(pointer, `is not a value this verifier knows (got ${JSON.stringify(value)})`);
  }
}

/** The library's own reading of one entry: a key that is not of its stated kind, a chain its X.509 reader refuses. */
function checkWithLibrary(list: (typeof LISTS)[number], item: JsonObject, at: string, errors: FieldErrors): void {
  try {
    toTrustMaterial(TrustedRoot.fromJSON({ [list]: [item] }));
  } catch (e) {
    const where = list === 'tlogs' || list === 'ctlogs' ? appendPointer(at, 'publicKey') : appendPointer(at, 'certChain');
    errors.add(where, `cannot be used: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function throwIfAny(errors: FieldErrors): void {
  if (errors.list.length === 0) return;
  const where = (f: FieldError) => (f.pointer === '' ? '' : `${f.pointer} `);
  throw new Invalid(`the Sigstore trusted root is invalid: ${errors.list.map((f) => `${where(f)}${f.message}`).join('; ')}`, errors.list);
}
