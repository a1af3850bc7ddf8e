import { type Bundle, ValidationError, bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity } from '@sigstore/verify';
import { Invalid, appendPointer } from '#kernel';
import { parseDsseEnvelope } from '../dsse/dsse-envelope.js';
import { FieldErrors, type JsonObject, isJsonObject, member, optionalString, requiredObject, requiredString } from '../json-fields.js';
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from './message-digest.js';
import { boundedArray, oneOf, requiredBytes, requiredCertificate } from './protobuf-json.js';
import { checkTimestampData, checkTlogEntries } from './tlog-entries.js';

export type SigstoreBundleVersion = '0.1' | '0.2' | '0.3';

/** The media types @sigstore/bundle 4 reads, each with the bundle version whose rules apply. */
export const SIGSTORE_BUNDLE_MEDIA_TYPES: ReadonlyMap<string, SigstoreBundleVersion> = new Map([
  ['application/vnd.dev.sigstore.bundle+json;version=0.1', '0.1'],
  ['application/vnd.dev.sigstore.bundle+json;version=0.2', '0.2'],
  ['application/vnd.dev.sigstore.bundle+json;version=0.3', '0.3'],
  ['application/vnd.dev.sigstore.bundle.v0.3+json', '0.3'],
]);

/** A leaf certificate and more is what an x509CertificateChain holds; a long one is not a Fulcio chain. */
const MAX_CHAIN_CERTIFICATES = 10;

/** A Sigstore bundle whose shape has been checked; nothing about it is verified yet. */
export interface SigstoreBundle {
  readonly mediaType: string;
  readonly version: SigstoreBundleVersion;
  /** What is signed: an in-toto statement in a DSSE envelope, or an artifact's digest. */
  readonly content: 'dsseEnvelope' | 'messageSignature';
  /** How the signer is named: a (Fulcio) certificate, or a hint naming a key the verifier knows. */
  readonly signer: 'certificate' | 'publicKey';
  /** For a messageSignature: the digest of the artifact it says it signs. */
  readonly messageDigest: { readonly algorithm: DigestAlgorithm; readonly digest: Buffer } | undefined;
  /** As @sigstore/bundle read it, for @sigstore/verify. */
  readonly bundle: Bundle;
}

const WHAT = 'the Sigstore bundle';

/**
 * Reads a Sigstore bundle (protobuf JSON, as `actions/attest` and cosign write it) and checks its
 * shape field by field, then has @sigstore/bundle read it with the rules of its version. Throws
 * kernel `Invalid` listing every bad field by JSON Pointer. Verifies nothing.
 */
export function parseSigstoreBundle(input: unknown): SigstoreBundle {
  const errors = new FieldErrors();
  if (!isJsonObject(input)) {
    errors.add('', 'must be a Sigstore bundle object {mediaType, verificationMaterial, dsseEnvelope | messageSignature}');
    errors.throwIfAny(WHAT);
  }
  const bundleJson = input as JsonObject;
  const mediaType = requiredString(bundleJson, 'mediaType', '', errors);
  const version = mediaType === undefined ? undefined : SIGSTORE_BUNDLE_MEDIA_TYPES.get(mediaType);
  if (mediaType !== undefined && version === undefined) {
    errors.add('/mediaType', `must be a Sigstore bundle media type: ${[...SIGSTORE_BUNDLE_MEDIA_TYPES.keys()].join(', ')}`);
  }
  const content = oneOf(bundleJson, ['dsseEnvelope', 'messageSignature'] as const, '', errors);
  if (content === 'dsseEnvelope') checkDsseEnvelope(member(bundleJson, 'dsseEnvelope'), errors);
  const messageDigest = content === 'messageSignature' ? checkMessageSignature(bundleJson, errors) : undefined;
  const material = requiredObject(bundleJson, 'verificationMaterial', '', errors);
  const signer = material === undefined ? undefined : checkVerificationMaterial(material, version, errors);
  errors.throwIfAny(WHAT);
  const bundle = readWithLibrary(bundleJson, errors);
  errors.throwIfAny(WHAT);
  return { mediaType: mediaType!, version: version!, content: content!, signer: signer!, messageDigest, bundle: bundle! };
}

function checkDsseEnvelope(value: unknown, errors: FieldErrors): void {
  try {
    const envelope = parseDsseEnvelope(value);
    if (envelope.payload.length === 0) errors.add('/dsseEnvelope/payload', 'must not be empty');
    if (envelope.signatures.length !== 1)
      errors.add('/dsseEnvelope/signatures', 'must hold exactly one signature (a bundle has one signer)');
    else if (envelope.signatures[0]!.sig.length === 0) errors.add('/dsseEnvelope/signatures/0/sig', 'must not be empty');
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    for (const f of e.errors) errors.add(`/dsseEnvelope${f.pointer}`, f.message);
  }
}

function checkMessageSignature(bundleJson: JsonObject, errors: FieldErrors): SigstoreBundle['messageDigest'] {
  const signature = requiredObject(bundleJson, 'messageSignature', '', errors);
  if (signature === undefined) return undefined;
  const digest = requiredObject(signature, 'messageDigest', '/messageSignature', errors);
  requiredBytes(signature, 'signature', '/messageSignature', errors);
  if (digest === undefined) return undefined;
  const base = '/messageSignature/messageDigest';
  const name = requiredString(digest, 'algorithm', base, errors);
  const algorithm = name === undefined ? undefined : DIGEST_ALGORITHMS.get(name);
  if (name !== undefined && algorithm === undefined)
    errors.add(`${base}/algorithm`, `must be one of ${[...DIGEST_ALGORITHMS.keys()].join(', ')}`);
  const bytes = requiredBytes(digest, 'digest', base, errors);
  if (bytes !== undefined && algorithm !== undefined && bytes.length !== algorithm.bytes) {
    return void errors.add(`${base}/digest`, `must be a ${algorithm.bytes}-byte ${name} digest (got ${bytes.length} bytes)`);
  }
  return algorithm === undefined || bytes === undefined ? undefined : { algorithm, digest: bytes };
}

function checkVerificationMaterial(
  material: JsonObject,
  version: SigstoreBundleVersion | undefined,
  errors: FieldErrors,
): SigstoreBundle['signer'] | undefined {
  const base = '/verificationMaterial';
  const kind = oneOf(material, ['certificate', 'x509CertificateChain', 'publicKey'] as const, base, errors);
  if (kind === 'certificate') {
    const certificate = requiredObject(material, 'certificate', base, errors);
    if (certificate !== undefined) requiredCertificate(certificate, 'rawBytes', `${base}/certificate`, errors);
  }
  if (kind === 'x509CertificateChain') checkChain(material, version, errors);
  if (kind === 'publicKey') {
    const key = requiredObject(material, 'publicKey', base, errors);
    if (key !== undefined) optionalString(key, 'hint', `${base}/publicKey`, errors);
  }
  checkTlogEntries(material, version, base, errors);
  checkTimestampData(material, base, errors);
  if (kind === undefined) return undefined;
  return kind === 'publicKey' ? 'publicKey' : 'certificate';
}

function checkChain(material: JsonObject, version: SigstoreBundleVersion | undefined, errors: FieldErrors): void {
  const base = '/verificationMaterial/x509CertificateChain';
  if (version === '0.3')
    return errors.add(base, 'is not allowed in a v0.3 bundle, which names its leaf in /verificationMaterial/certificate');
  const chain = requiredObject(material, 'x509CertificateChain', '/verificationMaterial', errors);
  if (chain === undefined) return;
  const certificates = boundedArray(chain, 'certificates', base, errors, { required: true, max: MAX_CHAIN_CERTIFICATES });
  if (certificates?.length === 0) errors.add(`${base}/certificates`, 'must hold the leaf certificate');
  (certificates ?? []).forEach((item, i) => {
    const at = appendPointer(`${base}/certificates`, i);
    if (!isJsonObject(item)) return errors.add(at, 'must be an object {rawBytes}');
    requiredCertificate(item, 'rawBytes', at, errors);
  });
}

/**
 * The checks above cover what @sigstore/bundle asserts, so it should not refuse anything here;
 * if it does, its field path is turned into a pointer. @sigstore/verify then parses the
 * certificate and any RFC 3161 timestamps (DER): those are the bytes it may still refuse.
 */
function readWithLibrary(bundleJson: JsonObject, errors: FieldErrors): Bundle | undefined {
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(bundleJson);
  } catch (e) {
    if (e instanceof ValidationError) for (const field of e.fields ?? []) errors.add(libraryPointer(field), 'is missing or invalid');
    else errors.add('', `cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  try {
    toSignedEntity(bundle);
  } catch {
    const stamps = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length ?? 0;
    if (stamps > 0)
      errors.add('/verificationMaterial/timestampVerificationData/rfc3161Timestamps', 'must hold DER-encoded RFC 3161 timestamp responses');
    else errors.add('/verificationMaterial', 'holds a certificate that @sigstore/verify cannot read');
  }
  return bundle;
}

/** `verificationMaterial.content.certificate.rawBytes` → `/verificationMaterial/certificate/rawBytes`. */
function libraryPointer(field: string): string {
  const path = field
    .replace(/^content(\.|$)/, '')
    .replace(/\.content(\.\$case)?(\.|$)/, '$2')
    .replace(/\[(\d+)\]/g, '.$1');
  return path === '' ? '' : `/${path.split('.').join('/')}`;
}
