import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Invalid } from '#kernel';
import {
  meetsThreshold,
  parseDsseEnvelope,
  parseStatementPayload,
  preAuthenticationEncoding,
  readAttestationPredicate,
  refMatches,
  sameRepository,
  statementNamesArtifact,
  verifyDsseEnvelope,
} from './index.js';

const ARTIFACT = 'sha256:fe4fe40ac7250263c5dbe1cf3138912f3f416140aa248637a60d65fe22c47da4';
const TYPE = 'application/vnd.in-toto+json';

function signedEnvelope(payload: Buffer) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sig = sign('sha256', preAuthenticationEncoding(TYPE, payload), { key: privateKey, dsaEncoding: 'der' });
  return {
    envelope: {
      payloadType: TYPE,
      payload: payload.toString('base64url'),
      signatures: [{ keyid: 'release', sig: sig.toString('base64') }],
    },
    trusted: [
      { keyId: 'release', algorithm: 'ecdsa-p256' as const, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    ],
  };
}

describe('a signed SLSA provenance attestation, end to end', () => {
  const payload = readFileSync(new URL('./fixtures/github-actions-workflow-v1.provenance.json', import.meta.url));

  it('verifies, parses the verified bytes and yields the facts a deployment gate asks about', () => {
    const { envelope, trusted } = signedEnvelope(payload);
    const verification = verifyDsseEnvelope(parseDsseEnvelope(envelope), trusted);
    expect(meetsThreshold(verification)).toBe(true);
    const statement = parseStatementPayload(verification.payloadType, verification.payload);
    expect(statementNamesArtifact(statement, ARTIFACT)).toBe(true);
    const predicate = readAttestationPredicate(statement, '/payload');
    if (predicate.kind !== 'slsa-provenance') throw new Error(predicate.kind);
    const { builder, source } = predicate.provenance;
    expect(builder.id).toBe('https://github.com/octocat/builders/.github/workflows/builder_go_slsa3.yml@refs/tags/v1.0.0');
    expect(sameRepository(source!.repository, 'https://github.com/octocat/hello-world.git')).toBe(true);
    expect(refMatches('main', source!.ref)).toBe(true);
    expect(source!.commit).toBe('c27d339ee6075c1f744c5d4b200f7901aad2c369');
  });

  it('does not verify once the statement is changed after signing', () => {
    const { envelope, trusted } = signedEnvelope(payload);
    const forged = Buffer.from(payload.toString('utf8').replace('refs/heads/main', 'refs/heads/evil'));
    const verification = verifyDsseEnvelope(parseDsseEnvelope({ ...envelope, payload: forged.toString('base64') }), trusted);
    expect(meetsThreshold(verification)).toBe(false);
  });

  it('reports a malformed predicate inside the payload under /payload', () => {
    const broken = Buffer.from(
      JSON.stringify({ ...(JSON.parse(payload.toString('utf8')) as object), predicate: { runDetails: { builder: {} } } }),
    );
    const statement = parseStatementPayload(TYPE, broken);
    try {
      readAttestationPredicate(statement, '/payload');
      throw new Error('expected Invalid');
    } catch (e) {
      expect((e as Invalid).errors.map((f) => f.pointer)).toEqual([
        '/payload/predicate/buildDefinition',
        '/payload/predicate/runDetails/builder/id',
      ]);
    }
  });
});
