import { X509Certificate, createHash } from 'node:crypto';
import { Invalid } from '#kernel';
import type { TrustedKey } from '../dsse/trusted-keys.js';
import { type AllowedIdentity } from './allowed-identity.js';
import { type SigstorePolicy, verifySigstoreBundle } from './sigstore-verifier.js';
import { p256, testCa, testLeaf } from './sigstore-test-ca.js';
import { TEST_ISSUER, TEST_SUBJECT, dsseBundle, messageBundle, testRekor, testSigstore } from './sigstore-test-log.js';
import { loadSigstoreTrustedRoot } from './trusted-root.js';

const STATEMENT = Buffer.from(
  JSON.stringify({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app.tar.gz', digest: { sha256: 'fe4fe40ac7250263c5dbe1cf3138912f3f416140aa248637a60d65fe22c47da4' } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {},
  }),
);
const RELEASE: AllowedIdentity = { issuer: TEST_ISSUER, subject: TEST_SUBJECT };

describe('verifySigstoreBundle', () => {
  const sigstore = testSigstore();
  const trustedRoot = loadSigstoreTrustedRoot(sigstore.trustedRoot());
  const policy = (overrides: Partial<SigstorePolicy> = {}): SigstorePolicy => ({ trustedRoot, allowedIdentities: [RELEASE], ...overrides });

  it('builds certificates that OpenSSL reads as a chain (test support sanity check)', () => {
    const leaf = new X509Certificate(sigstore.leaf().certificate);
    const intermediate = new X509Certificate(sigstore.intermediate.certificate);
    const root = new X509Certificate(sigstore.root.certificate);
    expect(leaf.checkIssued(intermediate)).toBe(true);
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(root.ca).toBe(true);
    expect(leaf.subjectAltName).toBe(`URI:${TEST_SUBJECT}`);
  });

  it('verifies a v0.3 DSSE bundle from an allowed workflow and returns the verified payload bytes', () => {
    const integratedTime = Math.floor(Date.now() / 1000) - 30;
    const result = verifySigstoreBundle(dsseBundle(sigstore, STATEMENT, { integratedTime }), policy());
    expect(result).toEqual({
      verified: true,
      identity: { issuer: TEST_ISSUER, subject: TEST_SUBJECT },
      payloadType: 'application/vnd.in-toto+json',
      payload: STATEMENT,
      signedAt: new Date(integratedTime * 1000).toISOString(),
    });
  });

  const failure = (bundle: unknown, p: SigstorePolicy = policy(), artifact?: Buffer) => {
    const result = verifySigstoreBundle(bundle, p, artifact);
    expect(result.verified).toBe(false);
    expect(result.payload).toBeUndefined();
    expect(result.identity).toBeUndefined();
    return result.failure;
  };

  it('throws Invalid only for input that is not a bundle', () => {
    expect(() => verifySigstoreBundle({ mediaType: 'x' }, policy())).toThrow(Invalid);
  });

  describe('identities', () => {
    it('matches a subject pattern against the whole SAN', () => {
      const pattern = {
        issuer: TEST_ISSUER,
        subjectPattern: 'https://github\\.com/octo-org/[^/]+/\\.github/workflows/release\\.yml@refs/(heads|tags)/.+',
      };
      expect(verifySigstoreBundle(dsseBundle(sigstore, STATEMENT), policy({ allowedIdentities: [pattern] })).verified).toBe(true);
      // Anchored: a pattern for part of the SAN does not match it.
      const partial = { issuer: TEST_ISSUER, subjectPattern: 'github\\.com/octo-org' };
      expect(failure(dsseBundle(sigstore, STATEMENT), policy({ allowedIdentities: [partial] }))).toMatch(
        /matches none of the 1 allowed identity/,
      );
    });

    it('refuses another workflow of the same issuer, naming what the certificate says', () => {
      const leaf = sigstore.leaf({ subject: 'https://github.com/evil-org/octo-repo/.github/workflows/release.yml@refs/heads/main' });
      expect(failure(dsseBundle(sigstore, STATEMENT, { leaf }))).toBe(
        `the certificate is issued to "https://github.com/evil-org/octo-repo/.github/workflows/release.yml@refs/heads/main" by issuer "${TEST_ISSUER}", which matches none of the 1 allowed identity`,
      );
    });

    it('refuses the allowed subject vouched for by another OIDC issuer', () => {
      const leaf = sigstore.leaf({ issuer: 'https://oidc.example.com' });
      expect(failure(dsseBundle(sigstore, STATEMENT, { leaf }))).toMatch(/by issuer "https:\/\/oidc\.example\.com", which matches none/);
    });

    it('reads the issuer from the v2 extension, the legacy v1 one, or says there is none', () => {
      for (const issuerExtensions of ['v1', 'v2'] as const) {
        const result = verifySigstoreBundle(dsseBundle(sigstore, STATEMENT, { leaf: sigstore.leaf({ issuerExtensions }) }), policy());
        expect(result.identity).toEqual({ issuer: TEST_ISSUER, subject: TEST_SUBJECT });
      }
      const leaf = sigstore.leaf({ issuerExtensions: 'none' });
      expect(failure(dsseBundle(sigstore, STATEMENT, { leaf }))).toMatch(/names no OIDC issuer/);
    });

    it('reads an email SAN', () => {
      const leaf = sigstore.leaf({ subject: 'release@example.com', issuer: 'https://accounts.google.com' });
      const allowed = { issuer: 'https://accounts.google.com', subject: 'release@example.com' };
      const result = verifySigstoreBundle(dsseBundle(sigstore, STATEMENT, { leaf }), policy({ allowedIdentities: [allowed] }));
      expect(result.identity).toEqual({ issuer: 'https://accounts.google.com', subject: 'release@example.com' });
    });

    it('verifies no keyless bundle when no identity is allowed', () => {
      expect(failure(dsseBundle(sigstore, STATEMENT), policy({ allowedIdentities: [] }))).toMatch(/^no keyless identities are allowed/);
    });
  });

  describe('what is signed', () => {
    it('does not verify once one byte of the payload changes', () => {
      const bundle = dsseBundle(sigstore, STATEMENT);
      const forged = Buffer.from(STATEMENT.toString('utf8').replace('app.tar.gz', 'app.tar.gy'));
      const tampered = { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, payload: forged.toString('base64') } };
      expect(failure(tampered)).toMatch(/^the transparency log entry is not for this signature \(DSSE payload hash mismatch\)/);
    });

    it('does not verify a signature made by a key other than the certificate’s, even when the log recorded it', () => {
      expect(failure(dsseBundle(sigstore, STATEMENT, { signWith: p256().privateKey }))).toBe(
        'the signature does not verify (signature verification failed)',
      );
    });

    it('binds the payload type', () => {
      const bundle = dsseBundle(sigstore, STATEMENT);
      const retyped = { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, payloadType: 'application/vnd.in-toto.other+json' } };
      expect(failure(retyped)).toMatch(/^the signature does not verify/);
    });
  });

  describe('the certificate', () => {
    it('does not verify a certificate from another CA, even one with the same names', () => {
      const otherRoot = testCa('test sigstore root');
      const otherIntermediate = testCa('test sigstore intermediate', otherRoot);
      const now = Date.now();
      const leaf = testLeaf(otherIntermediate, {
        subject: TEST_SUBJECT,
        issuer: TEST_ISSUER,
        notBefore: new Date(now - 60_000),
        notAfter: new Date(now + 60_000),
        ctLog: sigstore.ctLog,
      });
      expect(failure(dsseBundle(sigstore, STATEMENT, { leaf }))).toMatch(
        /^the certificate is not trusted \(Failed to verify certificate chain: no valid certificate path found\)/,
      );
    });

    it('checks the certificate at the logged time, not now', () => {
      const hourLater = Math.floor(Date.now() / 1000) + 3600;
      expect(failure(dsseBundle(sigstore, STATEMENT, { integratedTime: hourLater }))).toMatch(/not valid or expired at the specified date/);
    });

    it('requires an SCT from a trusted CT log unless the ctlog threshold is 0', () => {
      const leaf = sigstore.leaf({ ctLog: undefined });
      expect(failure(dsseBundle(sigstore, STATEMENT, { leaf }))).toMatch(/expected 1 SCTs, got 0/);
      expect(verifySigstoreBundle(dsseBundle(sigstore, STATEMENT, { leaf }), policy({ thresholds: { ctlog: 0 } })).verified).toBe(true);
    });

    it('does not verify an SCT from an untrusted CT log', () => {
      const other = testSigstore();
      const leaf = testLeaf(sigstore.intermediate, {
        subject: TEST_SUBJECT,
        issuer: TEST_ISSUER,
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + 60_000),
        ctLog: other.ctLog,
      });
      expect(failure(dsseBundle(sigstore, STATEMENT, { leaf }))).toMatch(/SCT verification failed/);
    });
  });

  describe('the transparency log', () => {
    it('does not verify an entry from an untrusted log', () => {
      expect(failure(dsseBundle(sigstore, STATEMENT, { rekor: testRekor() }))).toMatch(
        /inclusion promise does not verify with a trusted log key/,
      );
    });

    it('checks the inclusion proof against the signed checkpoint', () => {
      const bundle = dsseBundle(sigstore, STATEMENT);
      const [entry] = bundle.verificationMaterial.tlogEntries as Record<string, Record<string, unknown>>[];
      const proof = entry!.inclusionProof as { hashes: string[] };
      proof.hashes[1] = Buffer.alloc(32, 7).toString('base64');
      expect(failure(bundle)).toMatch(/inclusion proof does not verify \(calculated root hash does not match/);
    });

    it('needs a trusted time: a v0.3 entry with a proof and no inclusion promise, and no TSA, does not verify', () => {
      const bundle = dsseBundle(sigstore, STATEMENT, { promise: false });
      expect(failure(bundle)).toMatch(/^no trusted time for the signature .*expected 1 timestamps, got 0/);
      // Not even when the timestamp threshold is turned off: a certificate is only valid at some time.
      expect(failure(bundle, policy({ thresholds: { timestamp: 0 } }))).toMatch(/expected 1 timestamps, got 0/);
    });

    it('counts entries against the tlog threshold', () => {
      expect(failure(dsseBundle(sigstore, STATEMENT), policy({ thresholds: { tlog: 2 } }))).toMatch(/expected 2 tlog entries, got 1/);
      expect(() => verifySigstoreBundle(dsseBundle(sigstore, STATEMENT), policy({ thresholds: { tlog: -1 } }))).toThrow(RangeError);
    });

    it('reports, not throws, a logged body that is JSON but not a Rekor entry', () => {
      const bundle = dsseBundle(sigstore, STATEMENT);
      const integratedTime = Math.floor(Date.now() / 1000);
      const bogus = sigstore.rekor.log({ kind: 'dsse', apiVersion: '0.0.1' }, { integratedTime, promise: true, proof: true });
      const forged = { ...bundle, verificationMaterial: { ...bundle.verificationMaterial, tlogEntries: [bogus] } };
      expect(failure(forged)).toMatch(/^the bundle could not be verified \(/);
    });
  });

  describe('bundle versions', () => {
    it('verifies a v0.1 bundle (x509CertificateChain, inclusion promise only)', () => {
      const result = verifySigstoreBundle(dsseBundle(sigstore, STATEMENT, { version: '0.1' }), policy());
      expect(result.verified).toBe(true);
      expect(result.identity?.subject).toBe(TEST_SUBJECT);
    });

    it('verifies a v0.2 bundle (x509CertificateChain, promise and proof)', () => {
      expect(verifySigstoreBundle(dsseBundle(sigstore, STATEMENT, { version: '0.2' }), policy()).verified).toBe(true);
    });
  });

  describe('messageSignature bundles', () => {
    const artifact = Buffer.from('the release tarball\n');
    const sha256 = createHash('sha256').update(artifact).digest('hex');

    it('verifies against the artifact and returns its digest', () => {
      const result = verifySigstoreBundle(messageBundle(sigstore, artifact), policy(), artifact);
      expect(result.verified).toBe(true);
      expect(result.messageDigest).toEqual({ algorithm: 'sha256', hex: sha256 });
      expect(result.identity).toEqual({ issuer: TEST_ISSUER, subject: TEST_SUBJECT });
      expect(result.payload).toBeUndefined();
    });

    it('does not verify against another artifact', () => {
      const other = Buffer.from('another tarball\n');
      expect(failure(messageBundle(sigstore, artifact), policy(), other)).toMatch(
        new RegExp(`^the bundle signs sha256:${sha256}, but the artifact is sha256:`),
      );
    });

    it('needs the artifact', () => {
      expect(failure(messageBundle(sigstore, artifact))).toMatch(/needs the artifact’s bytes/);
    });
  });

  describe('key-signed bundles', () => {
    const keys = p256();
    const trusted = (keyId: string): TrustedKey => ({
      keyId,
      algorithm: 'ecdsa-p256',
      publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });

    it('verifies with the trusted key the hint names, without any identity', () => {
      const bundle = dsseBundle(sigstore, STATEMENT, { key: { keys, hint: 'release-key' } });
      const result = verifySigstoreBundle(bundle, policy({ allowedIdentities: [], trustedKeys: [trusted('release-key')] }));
      expect(result).toMatchObject({ verified: true, keyId: 'release-key', payload: STATEMENT });
      expect(result.identity).toBeUndefined();
    });

    it('treats the hint as a hint: every trusted key is tried', () => {
      const bundle = dsseBundle(sigstore, STATEMENT, { key: { keys, hint: 'what cosign wrote' } });
      const other: TrustedKey = { ...trusted('other'), publicKey: p256().publicKey.export({ type: 'spki', format: 'pem' }).toString() };
      expect(verifySigstoreBundle(bundle, policy({ trustedKeys: [other, trusted('release-key')] })).keyId).toBe('release-key');
    });

    it('does not verify with keys that did not sign, nor with none configured', () => {
      const bundle = dsseBundle(sigstore, STATEMENT, { key: { keys, hint: 'release-key' } });
      const stranger: TrustedKey = {
        ...trusted('release-key'),
        publicKey: p256().publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      };
      expect(failure(bundle, policy({ trustedKeys: [stranger] }))).toBe('the signature verifies with none of the 1 trusted key(s)');
      expect(failure(bundle)).toMatch(/no usable trusted key is configured/);
    });
  });
});
