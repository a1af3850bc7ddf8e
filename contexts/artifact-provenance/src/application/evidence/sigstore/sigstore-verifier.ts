import { createHash, timingSafeEqual } from 'node:crypto';
import { type SignedEntity, type Signer, type TrustMaterial, Verifier, type VerifierOptions, toSignedEntity } from '@sigstore/verify';
import { loadTrustedKeys, type TrustedKey } from '../dsse/trusted-keys.js';
import { type AllowedIdentity, type CertificateIdentity, findAllowedIdentity } from './allowed-identity.js';
import { describeFailure, isSignatureFailure } from './failure-reason.js';
import { type SigstoreBundle, parseSigstoreBundle } from './sigstore-bundle.js';
import type { SigstoreTrustedRoot } from './trusted-root.js';

/**
 * How much independent evidence a bundle must carry. The defaults are what the public-good
 * instance provides for every signature: one Rekor entry, one SCT in the Fulcio certificate and
 * one trusted time.
 */
export interface SigstoreThresholds {
  /** Rekor entries that verify (inclusion promise or proof) and whose body matches the signature. Default 1. */
  readonly tlog?: number;
  /** SCTs in the certificate from trusted CT logs. Default 1. */
  readonly ctlog?: number;
  /**
   * Trusted times, counted together: Rekor integrated times backed by an inclusion promise, and
   * RFC 3161 timestamps from a trusted TSA (@sigstore/verify 3 has no separate TSA count). Default
   * 1, and never less than 1 for a certificate: a Fulcio certificate lives ten minutes, so it can
   * only be checked at a time someone trusted vouches for.
   */
  readonly timestamp?: number;
}

export interface SigstorePolicy {
  readonly trustedRoot: SigstoreTrustedRoot;
  /** Keyless signers accepted; a certificate bundle verifies only for one of these. */
  readonly allowedIdentities: readonly AllowedIdentity[];
  /** Keys for bundles signed with a key (a `publicKey` hint) instead of a certificate. */
  readonly trustedKeys?: readonly TrustedKey[];
  readonly thresholds?: SigstoreThresholds;
}

export interface SigstoreVerification {
  readonly verified: boolean;
  /** Why not, when not verified. */
  readonly failure?: string;
  /** The keyless signer, for a certificate bundle that verified. */
  readonly identity?: CertificateIdentity;
  /** The trusted key that verified a publicKey bundle. */
  readonly keyId?: string;
  /** DSSE: the payload type and the exact bytes that were verified; parse these, never the bundle again. */
  readonly payloadType?: string;
  readonly payload?: Buffer;
  /** messageSignature: the digest of the artifact that was verified (in-toto algorithm name, lower-case hex). */
  readonly messageDigest?: { readonly algorithm: string; readonly hex: string };
  /** The earliest trusted time of the signature (RFC 3339, UTC). */
  readonly signedAt?: string;
}

/**
 * Verifies a Sigstore bundle offline against the trusted root: certificate chain to a trusted
 * Fulcio CA at a trusted time, SCTs, Rekor entries, the signature, then the signer against the
 * allowed identities (or, for a key-signed bundle, the trusted keys). A messageSignature signs
 * the artifact, so its bytes are needed; a DSSE bundle carries what it signs.
 *
 * Throws kernel `Invalid` only when the input is not a bundle (`parseSigstoreBundle`), and
 * RangeError for thresholds that are not counts; a bundle that does not verify is a result.
 */
export function verifySigstoreBundle(input: unknown, policy: SigstorePolicy, artifact?: Uint8Array): SigstoreVerification {
  const options = verifierOptions(policy.thresholds);
  const bundle = parseSigstoreBundle(input);
  try {
    return verifyBundle(bundle, policy, options, artifact);
  } catch (e) {
    return { verified: false, failure: describeFailure(e) };
  }
}

function verifyBundle(
  bundle: SigstoreBundle,
  policy: SigstorePolicy,
  options: VerifierOptions,
  artifact?: Uint8Array,
): SigstoreVerification {
  const digestProblem = checkArtifact(bundle, artifact);
  if (digestProblem !== undefined) return { verified: false, failure: digestProblem };
  const entity = toSignedEntity(bundle.bundle, artifact === undefined ? undefined : Buffer.from(artifact));
  const signer = bundle.signer === 'certificate' ? verifyKeyless(entity, policy, options) : verifyWithKey(bundle, entity, policy, options);
  if ('failure' in signer) return { verified: false, failure: signer.failure };
  return { verified: true, ...signer, ...signedContent(bundle), ...signedAt(entity) };
}

function verifierOptions(thresholds: SigstoreThresholds = {}): VerifierOptions {
  const count = (name: keyof SigstoreThresholds, fallback: number): number => {
    const value = thresholds[name] ?? fallback;
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`the ${name} threshold must be a count (got ${value})`);
    return value;
  };
  return { tlogThreshold: count('tlog', 1), ctlogThreshold: count('ctlog', 1), timestampThreshold: count('timestamp', 1) };
}

/** @sigstore/verify checks the signature over the artifact, but never that the bundle's digest is that artifact's. */
function checkArtifact(bundle: SigstoreBundle, artifact: Uint8Array | undefined): string | undefined {
  if (bundle.messageDigest === undefined) return undefined;
  if (artifact === undefined) return 'a messageSignature bundle signs the artifact itself: verifying it needs the artifact’s bytes';
  const { algorithm, digest } = bundle.messageDigest;
  const actual = createHash(algorithm.node).update(artifact).digest();
  if (timingSafeEqual(actual, digest)) return undefined;
  return `the bundle signs ${algorithm.name}:${digest.toString('hex')}, but the artifact is ${algorithm.name}:${actual.toString('hex')}`;
}

type SignerOutcome = { readonly identity: CertificateIdentity } | { readonly keyId: string } | { readonly failure: string };

function verifyKeyless(entity: SignedEntity, policy: SigstorePolicy, options: VerifierOptions): SignerOutcome {
  // With no trusted time @sigstore/verify checks the chain at no time at all, then fails on the missing path.
  const verifier = new Verifier(policy.trustedRoot.material, { ...options, timestampThreshold: Math.max(1, options.timestampThreshold!) });
  const signer = verifier.verify(entity);
  const identity = certificateIdentity(signer);
  if ('failure' in identity) return identity;
  if (policy.allowedIdentities.length === 0) return { failure: `no keyless identities are allowed (the certificate is ${said(identity)})` };
  if (findAllowedIdentity(identity, policy.allowedIdentities) === undefined) {
    const n = policy.allowedIdentities.length;
    return { failure: `the certificate is ${said(identity)}, which matches none of the ${n} allowed identit${n === 1 ? 'y' : 'ies'}` };
  }
  return { identity };
}

const said = (identity: CertificateIdentity) => `issued to "${identity.subject}" by issuer "${identity.issuer}"`;

/** The OIDC issuer (Fulcio extension, v2 preferred over the legacy one) and the SAN, as @sigstore/verify reads them. */
function certificateIdentity(signer: Signer): CertificateIdentity | { failure: string } {
  const issuer = signer.identity?.extensions?.issuer;
  const subject = signer.identity?.subjectAlternativeName;
  if (issuer === undefined || issuer === '') {
    return { failure: 'the certificate names no OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8 or 1.3.6.1.4.1.57264.1.1)' };
  }
  if (subject === undefined || subject === '') return { failure: 'the certificate has no email or URI subject alternative name' };
  return { issuer, subject };
}

/**
 * The bundle's hint is unauthenticated: the key it names is tried first, then every other
 * trusted key, as for DSSE envelopes (cosign writes no hint or one of its own making).
 */
function verifyWithKey(bundle: SigstoreBundle, entity: SignedEntity, policy: SigstorePolicy, options: VerifierOptions): SignerOutcome {
  const { usable } = loadTrustedKeys(policy.trustedKeys ?? []);
  if (usable.length === 0) return { failure: 'the bundle is signed with a key, and no usable trusted key is configured' };
  const content = bundle.bundle.verificationMaterial.content;
  const hint = content.$case === 'publicKey' ? content.publicKey.hint : '';
  const ordered = [...usable.filter((k) => k.keyId === hint), ...usable.filter((k) => k.keyId !== hint)];
  const errors: unknown[] = [];
  for (const key of ordered) {
    const material: TrustMaterial = { ...policy.trustedRoot.material, publicKey: () => ({ publicKey: key.key, validFor: () => true }) };
    try {
      new Verifier(material, options).verify(entity);
      return { keyId: key.keyId };
    } catch (e) {
      errors.push(e);
    }
  }
  // A log or time problem is the same whichever key is tried: report it rather than "no key".
  const other = errors.find((e) => !isSignatureFailure(e));
  if (other !== undefined) return { failure: describeFailure(other) };
  return { failure: `the signature verifies with none of the ${usable.length} trusted key(s)` };
}

function signedContent(bundle: SigstoreBundle): Pick<SigstoreVerification, 'payloadType' | 'payload' | 'messageDigest'> {
  const content = bundle.bundle.content;
  if (content.$case === 'dsseEnvelope') {
    return { payloadType: content.dsseEnvelope.payloadType, payload: Buffer.from(content.dsseEnvelope.payload) };
  }
  const { algorithm, digest } = bundle.messageDigest!;
  return { messageDigest: { algorithm: algorithm.name, hex: digest.toString('hex') } };
}

/** Every timestamp in the entity was verified by then: RFC 3161 ones directly, Rekor ones with their entry's inclusion promise. */
function signedAt(entity: SignedEntity): Pick<SigstoreVerification, 'signedAt'> {
  const times: number[] = [];
  for (const t of entity.timestamps) {
    if (t.$case === 'timestamp-authority') times.push(t.timestamp.signingTime.getTime());
    else if (t.tlogEntry.inclusionPromise !== undefined) times.push(Number(t.tlogEntry.integratedTime) * 1000);
  }
  return times.length === 0 ? {} : { signedAt: new Date(Math.min(...times)).toISOString() };
}
