/**
 * TEST SUPPORT ONLY (used by the sigstore *.unit.spec.ts files): a throw-away Sigstore instance
 * (Fulcio-like CA from sigstore-test-ca.ts, a CT log, a Rekor-like log) that writes bundles the
 * way cosign and actions/attest do, and the trusted_root.json that trusts it. The log's Merkle
 * tree comes from #transparency-log, so the inclusion proofs are checked by code other than the
 * code that made them.
 */
import { type KeyObject, createHash, randomBytes, sign } from 'node:crypto';
import canonicalize from 'canonicalize';
import { MerkleTree } from '#transparency-log';
import { preAuthenticationEncoding } from '../dsse/pae.js';
import { type TestCa, type TestCtLog, type TestKeyPair, type TestLeaf, p256, testCa, testCtLog, testLeaf } from './sigstore-test-ca.js';

export const TEST_ISSUER = 'https://token.actions.githubusercontent.com';
export const TEST_SUBJECT = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
export const IN_TOTO = 'application/vnd.in-toto+json';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
const pem = (der: Buffer, label: string) =>
  `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;
const canonical = (value: unknown) => Buffer.from(canonicalize(value)!, 'utf8');

export interface TestRekor {
  readonly keys: TestKeyPair;
  readonly logId: Buffer;
  readonly baseUrl: string;
  /** Logs a body among other entries; returns the bundle's TransparencyLogEntry (protobuf JSON). */
  log(
    body: object,
    options: { readonly integratedTime: number; readonly promise: boolean; readonly proof: boolean },
  ): Record<string, unknown>;
}

export function testRekor(keys: TestKeyPair = p256()): TestRekor {
  const logId = createHash('sha256').update(spki(keys.publicKey)).digest();
  const tree = new MerkleTree();
  const origin = 'rekor.test - 1';
  return {
    keys,
    logId,
    baseUrl: 'https://rekor.test',
    log(body, { integratedTime, promise, proof }) {
      const canonicalizedBody = canonical(body);
      for (let i = 0; i < 5; i++) tree.appendData(randomBytes(40));
      const logIndex = tree.appendData(canonicalizedBody);
      for (let i = 0; i < 3; i++) tree.appendData(randomBytes(40));
      const entry: Record<string, unknown> = {
        logIndex: String(logIndex),
        logId: { keyId: b64(logId) },
        kindVersion: { kind: (body as { kind: string }).kind, version: (body as { apiVersion: string }).apiVersion },
        integratedTime: String(integratedTime),
        canonicalizedBody: b64(canonicalizedBody),
      };
      if (promise) {
        // Rekor's SET: its key's signature over the canonical JSON of these four fields.
        const payload = canonical({ body: b64(canonicalizedBody), integratedTime, logIndex, logID: logId.toString('hex') });
        entry.inclusionPromise = { signedEntryTimestamp: b64(sign('sha256', payload, { key: keys.privateKey, dsaEncoding: 'der' })) };
      }
      if (proof) {
        const size = tree.size;
        const root = tree.rootAt(size);
        // A C2SP signed note: the checkpoint body, a blank line, one signature line (key hint + ECDSA signature).
        const note = `${origin}\n${size}\n${b64(root)}\n`;
        const signature = sign('sha256', Buffer.from(note), { key: keys.privateKey, dsaEncoding: 'der' });
        const envelope = `${note}\n\u2014 rekor.test ${b64(Buffer.concat([logId.subarray(0, 4), signature]))}\n`;
        entry.inclusionProof = {
          logIndex: String(logIndex),
          rootHash: b64(root),
          treeSize: String(size),
          hashes: tree.inclusionProof(logIndex, size).map(b64),
          checkpoint: { envelope },
        };
      }
      return entry;
    },
  };
}

export interface TestSigstore {
  readonly root: TestCa;
  readonly intermediate: TestCa;
  readonly ctLog: TestCtLog;
  readonly rekor: TestRekor;
  /** A Fulcio-like certificate for `subject` / `issuer`, valid ten minutes around now, with an SCT. */
  leaf(options?: Partial<Parameters<typeof testLeaf>[1]>): TestLeaf;
  /** The trusted_root.json (protobuf JSON) that trusts this instance. */
  trustedRoot(): Record<string, unknown>;
}

export function testSigstore(): TestSigstore {
  const root = testCa('test sigstore root');
  const intermediate = testCa('test sigstore intermediate', root);
  const ctLog = testCtLog();
  const rekor = testRekor();
  const now = Date.now();
  const start = new Date(now - 24 * 3600 * 1000).toISOString();
  const logKey = (keys: TestKeyPair) => ({
    rawBytes: b64(spki(keys.publicKey)),
    keyDetails: 'PKIX_ECDSA_P256_SHA_256',
    validFor: { start },
  });
  return {
    root,
    intermediate,
    ctLog,
    rekor,
    leaf: (options = {}) =>
      testLeaf(intermediate, {
        subject: TEST_SUBJECT,
        issuer: TEST_ISSUER,
        notBefore: new Date(now - 5 * 60 * 1000),
        notAfter: new Date(now + 5 * 60 * 1000),
        ctLog,
        ...options,
      }),
    trustedRoot: () => ({
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [{ baseUrl: rekor.baseUrl, hashAlgorithm: 'SHA2_256', publicKey: logKey(rekor.keys), logId: { keyId: b64(rekor.logId) } }],
      certificateAuthorities: [
        {
          subject: { organization: 'compliance-ledger tests', commonName: 'test sigstore intermediate' },
          uri: 'https://fulcio.test',
          certChain: { certificates: [{ rawBytes: b64(intermediate.certificate) }, { rawBytes: b64(root.certificate) }] },
          validFor: { start },
        },
      ],
      ctlogs: [
        { baseUrl: 'https://ctfe.test', hashAlgorithm: 'SHA2_256', publicKey: logKey(ctLog.keys), logId: { keyId: b64(ctLog.logId) } },
      ],
      timestampAuthorities: [],
    }),
  };
}

export type BundleVersion = '0.1' | '0.2' | '0.3';

export const MEDIA_TYPES: Readonly<Record<BundleVersion, string>> = {
  '0.1': 'application/vnd.dev.sigstore.bundle+json;version=0.1',
  '0.2': 'application/vnd.dev.sigstore.bundle+json;version=0.2',
  '0.3': 'application/vnd.dev.sigstore.bundle.v0.3+json',
};

export interface BundleOptions {
  readonly version?: BundleVersion;
  /** Who signs: a certificate (keyless) or a key named by a hint. Default: a fresh leaf. */
  readonly leaf?: TestLeaf;
  readonly key?: { readonly keys: TestKeyPair; readonly hint: string };
  /** The key that actually signs; default the leaf's (or key's) own. */
  readonly signWith?: KeyObject;
  /** Seconds since the epoch; default now. */
  readonly integratedTime?: number;
  /** Default: an inclusion promise, and (v0.2 on) a proof. */
  readonly promise?: boolean;
  readonly proof?: boolean;
  /** The log that records the entry; default the instance's own. */
  readonly rekor?: TestRekor;
}

interface Signing {
  readonly material: Record<string, unknown>;
  readonly verifier: string;
  readonly privateKey: KeyObject;
}

function signing(sigstore: TestSigstore, options: BundleOptions): Signing {
  const version = options.version ?? '0.3';
  if (options.key !== undefined) {
    const verifier = b64(Buffer.from(pem(spki(options.key.keys.publicKey), 'PUBLIC KEY')));
    return { material: { publicKey: { hint: options.key.hint } }, verifier, privateKey: options.signWith ?? options.key.keys.privateKey };
  }
  const leaf = options.leaf ?? sigstore.leaf();
  const rawBytes = b64(leaf.certificate);
  const material = version === '0.3' ? { certificate: { rawBytes } } : { x509CertificateChain: { certificates: [{ rawBytes }] } };
  return {
    material,
    verifier: b64(Buffer.from(pem(leaf.certificate, 'CERTIFICATE'))),
    privateKey: options.signWith ?? leaf.keys.privateKey,
  };
}

function tlogEntry(sigstore: TestSigstore, options: BundleOptions, body: object) {
  const version = options.version ?? '0.3';
  return (options.rekor ?? sigstore.rekor).log(body, {
    integratedTime: options.integratedTime ?? Math.floor(Date.now() / 1000),
    promise: options.promise ?? true,
    proof: options.proof ?? version !== '0.1',
  });
}

/** A DSSE bundle as actions/attest writes it, logged as a Rekor `dsse` 0.0.1 entry. */
export function dsseBundle(sigstore: TestSigstore, payload: Buffer, options: BundleOptions = {}, payloadType = IN_TOTO) {
  const { material, verifier, privateKey } = signing(sigstore, options);
  const sig = sign('sha256', preAuthenticationEncoding(payloadType, payload), { key: privateKey, dsaEncoding: 'der' });
  const envelope = { payload: b64(payload), payloadType, signatures: [{ sig: b64(sig), keyid: '' }] };
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  const body = {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(Buffer.from(JSON.stringify(envelope))) },
      payloadHash: { algorithm: 'sha256', value: sha256(payload) },
      signatures: [{ signature: b64(sig), verifier }],
    },
  };
  return {
    mediaType: MEDIA_TYPES[options.version ?? '0.3'],
    verificationMaterial: { ...material, tlogEntries: [tlogEntry(sigstore, options, body)] },
    dsseEnvelope: envelope,
  };
}

/** A messageSignature bundle as `cosign sign-blob --bundle` writes it, logged as a Rekor `hashedrekord` 0.0.1 entry. */
export function messageBundle(sigstore: TestSigstore, artifact: Buffer, options: BundleOptions = {}) {
  const { material, verifier, privateKey } = signing(sigstore, options);
  const digest = createHash('sha256').update(artifact).digest();
  const signature = sign('sha256', artifact, { key: privateKey, dsaEncoding: 'der' });
  const body = {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: digest.toString('hex') } },
      signature: { content: b64(signature), publicKey: { content: verifier } },
    },
  };
  return {
    mediaType: MEDIA_TYPES[options.version ?? '0.3'],
    verificationMaterial: { ...material, tlogEntries: [tlogEntry(sigstore, options, body)] },
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: b64(digest) }, signature: b64(signature) },
  };
}

/**
 * A deep copy of `doc` with the member at each JSON Pointer set to the value given, or removed
 * when the value is undefined: how the specs damage one field of a bundle or trusted root.
 */
export function edited(doc: unknown, edits: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  for (const [pointer, value] of Object.entries(edits)) {
    const tokens = pointer
      .split('/')
      .slice(1)
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = tokens.pop()!;
    let parent = copy;
    for (const token of tokens) parent = parent[token] as Record<string, unknown>;
    if (value !== undefined) parent[last] = value;
    else if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  }
  return copy;
}
