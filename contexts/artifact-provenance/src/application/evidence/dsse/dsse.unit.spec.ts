import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Invalid } from '#kernel';
import { decodeBase64 } from './base64.js';
import { parseDsseEnvelope, MAX_DSSE_SIGNATURES } from './dsse-envelope.js';
import { meetsThreshold, verifyDsseEnvelope } from './dsse-verifier.js';
import { preAuthenticationEncoding } from './pae.js';
import type { TrustedKey } from './trusted-keys.js';

/**
 * The test vector of the DSSE protocol (secure-systems-lab/dsse, protocol.md "Test Vectors",
 * Apache-2.0): ECDSA P-256 / SHA-256, raw r||s signature, public point given in decimal.
 */
const VECTOR = {
  x: 46950820868899156662930047687818585632848591499744589407958293238635476079160n,
  y: 5640078356564379163099075877009565129882514886557779369047442380624545832820n,
  pae: 'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
  envelope: {
    payload: 'aGVsbG8gd29ybGQ=',
    payloadType: 'http://example.com/HelloWorld',
    signatures: [{ keyid: '66301bbf', sig: 'A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==' }],
  },
};

const coordinate = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex').toString('base64url');
const vectorKeyPem = (): string =>
  createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: coordinate(VECTOR.x), y: coordinate(VECTOR.y) }, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();

const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

function ed25519(keyId: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const trusted: TrustedKey = { keyId, algorithm: 'ed25519', publicKey: pem(publicKey) };
  return { trusted, sign: (message: Buffer) => sign(null, message, privateKey) };
}

function p256(keyId: string, dsaEncoding: 'der' | 'ieee-p1363') {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const trusted: TrustedKey = { keyId, algorithm: 'ecdsa-p256', publicKey: pem(publicKey) };
  return { trusted, sign: (message: Buffer) => sign('sha256', message, { key: privateKey, dsaEncoding }) };
}

function envelopeSignedBy(payloadType: string, payload: string, signers: { sign: (m: Buffer) => Buffer; keyid?: string }[]) {
  const body = Buffer.from(payload, 'utf8');
  const message = preAuthenticationEncoding(payloadType, body);
  return {
    payloadType,
    payload: body.toString('base64'),
    signatures: signers.map((s) => ({ ...(s.keyid !== undefined ? { keyid: s.keyid } : {}), sig: s.sign(message).toString('base64') })),
  };
}

function invalidPointers(input: unknown): string[] {
  try {
    parseDsseEnvelope(input);
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    return (e as Invalid).errors.map((f) => f.pointer);
  }
  throw new Error('expected Invalid');
}

describe('DSSE pre-authentication encoding', () => {
  it('matches the protocol test vector', () => {
    expect(preAuthenticationEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString('utf8')).toBe(VECTOR.pae);
  });

  it('counts bytes, not characters, of type and body', () => {
    const pae = preAuthenticationEncoding('tÿpe', Buffer.from('é', 'utf8'));
    expect(pae.toString('utf8')).toBe('DSSEv1 5 tÿpe 2 é');
  });

  it('encodes an empty type and body', () => {
    expect(preAuthenticationEncoding('', Buffer.alloc(0)).toString('ascii')).toBe('DSSEv1 0  0 ');
  });
});

describe('strict base64', () => {
  it('accepts standard and URL-safe, padded or not', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xfe, 0x01]);
    for (const text of ['+//+AQ==', '+//+AQ', '-__-AQ==', '-__-AQ']) expect(decodeBase64(text)).toEqual(bytes);
  });

  it('refuses characters outside the alphabet, mixed alphabets and impossible lengths', () => {
    for (const text of ['aGVsbG8*', 'aGV sbG8=', '+_8=', 'a', 'aGVsb===', 'aGV=sbG8']) expect(decodeBase64(text)).toBeUndefined();
  });
});

describe('parseDsseEnvelope', () => {
  it('decodes the test vector envelope', () => {
    const envelope = parseDsseEnvelope(VECTOR.envelope);
    expect(envelope.payloadType).toBe('http://example.com/HelloWorld');
    expect(envelope.payload.toString('utf8')).toBe('hello world');
    expect(envelope.signatures).toHaveLength(1);
    expect(envelope.signatures[0]!.keyid).toBe('66301bbf');
    expect(envelope.signatures[0]!.sig).toHaveLength(64);
  });

  it('treats an empty keyid as unset and ignores unknown fields', () => {
    const envelope = parseDsseEnvelope({ ...VECTOR.envelope, extra: 1, signatures: [{ keyid: '', sig: 'AA==', extension: {} }] });
    expect(envelope.signatures[0]!.keyid).toBeUndefined();
  });

  it('accepts empty values where the spec requires presence only', () => {
    const envelope = parseDsseEnvelope({ payloadType: '', payload: '', signatures: [] });
    expect(envelope.payload).toHaveLength(0);
    expect(envelope.signatures).toEqual([]);
  });

  it('reports every missing or malformed field by JSON Pointer', () => {
    expect(invalidPointers({})).toEqual(['/payloadType', '/payload', '/signatures']);
    expect(
      invalidPointers({ payloadType: 7, payload: 'not base64!', signatures: [{}, 'x', { sig: '%%' }, { keyid: 3, sig: 'AA==' }] }),
    ).toEqual(['/payloadType', '/payload', '/signatures/0/sig', '/signatures/1', '/signatures/2/sig', '/signatures/3/keyid']);
    expect(invalidPointers([])).toEqual(['']);
    expect(invalidPointers({ ...VECTOR.envelope, signatures: {} })).toEqual(['/signatures']);
  });

  it('refuses more signatures than any signer uses', () => {
    const signatures = Array.from({ length: MAX_DSSE_SIGNATURES + 1 }, () => ({ sig: 'AA==' }));
    expect(invalidPointers({ ...VECTOR.envelope, signatures })).toEqual(['/signatures']);
  });
});

describe('verifyDsseEnvelope', () => {
  const type = 'application/vnd.in-toto+json';
  const body = '{"_type":"https://in-toto.io/Statement/v1"}';

  it('verifies the protocol test vector (ECDSA P-256, raw r||s) against its public key', () => {
    const result = verifyDsseEnvelope(parseDsseEnvelope(VECTOR.envelope), [
      { keyId: 'mykey', algorithm: 'ecdsa-p256', publicKey: vectorKeyPem() },
    ]);
    expect(result.verifiedKeyIds).toEqual(['mykey']);
    expect(result.signatures).toEqual([{ index: 0, keyid: '66301bbf', verifiedBy: 'mykey', failure: undefined }]);
    expect(meetsThreshold(result)).toBe(true);
  });

  it('rejects the test vector when one payload byte changes', () => {
    const tampered = { ...VECTOR.envelope, payload: Buffer.from('hello worle').toString('base64') };
    const result = verifyDsseEnvelope(parseDsseEnvelope(tampered), [
      { keyId: 'mykey', algorithm: 'ecdsa-p256', publicKey: vectorKeyPem() },
    ]);
    expect(result.verifiedKeyIds).toEqual([]);
    expect(result.signatures[0]!.failure).toBe('verifies with none of the 1 trusted key(s)');
  });

  it('binds the payload type: the same body under another type does not verify', () => {
    const retyped = { ...VECTOR.envelope, payloadType: 'http://example.com/HelloWorle' };
    const result = verifyDsseEnvelope(parseDsseEnvelope(retyped), [{ keyId: 'mykey', algorithm: 'ecdsa-p256', publicKey: vectorKeyPem() }]);
    expect(result.verifiedKeyIds).toEqual([]);
  });

  it('verifies Ed25519 signatures', () => {
    const signer = ed25519('release');
    const result = verifyDsseEnvelope(parseDsseEnvelope(envelopeSignedBy(type, body, [signer])), [signer.trusted]);
    expect(result.verifiedKeyIds).toEqual(['release']);
  });

  it('accepts ECDSA P-256 signatures in both DER and IEEE P1363 encodings', () => {
    const der = p256('der-key', 'der');
    const raw = p256('raw-key', 'ieee-p1363');
    const result = verifyDsseEnvelope(parseDsseEnvelope(envelopeSignedBy(type, body, [der, raw])), [der.trusted, raw.trusted]);
    expect(result.verifiedKeyIds).toEqual(['der-key', 'raw-key']);
  });

  it('tries every trusted key whatever the keyid says, and reports which signature failed and why', () => {
    const a = ed25519('a');
    const b = p256('b', 'der');
    const stranger = ed25519('stranger');
    const envelope = envelopeSignedBy(type, body, [
      { ...b, keyid: 'producer-fingerprint-123' },
      { ...stranger, keyid: 'a' },
      { ...a, keyid: 'b' },
    ]);
    const result = verifyDsseEnvelope(parseDsseEnvelope(envelope), [a.trusted, b.trusted]);
    expect(result.verifiedKeyIds).toEqual(['b', 'a']);
    expect(result.signatures).toEqual([
      { index: 0, keyid: 'producer-fingerprint-123', verifiedBy: 'b', failure: undefined },
      { index: 1, keyid: 'a', verifiedBy: undefined, failure: 'does not verify with trusted key "a" nor any other trusted key' },
      { index: 2, keyid: 'b', verifiedBy: 'a', failure: undefined },
    ]);
    expect(meetsThreshold(result, 2)).toBe(true);
    expect(meetsThreshold(result, 3)).toBe(false);
  });

  it('counts a key once however many of its signatures there are', () => {
    const a = ed25519('a');
    const result = verifyDsseEnvelope(parseDsseEnvelope(envelopeSignedBy(type, body, [a, a])), [a.trusted]);
    expect(result.verifiedKeyIds).toEqual(['a']);
    expect(meetsThreshold(result, 2)).toBe(false);
  });

  it('never lets a key verify as the other algorithm, and sets unreadable keys aside', () => {
    const ec = p256('ec', 'der');
    const mislabelled: TrustedKey = { ...ec.trusted, algorithm: 'ed25519' };
    const broken: TrustedKey = { keyId: 'broken', algorithm: 'ed25519', publicKey: 'not a key' };
    const result = verifyDsseEnvelope(parseDsseEnvelope(envelopeSignedBy(type, body, [ec])), [mislabelled, broken]);
    expect(result.verifiedKeyIds).toEqual([]);
    expect(result.unusableKeys).toEqual([
      { keyId: 'ec', reason: 'is not an ed25519 public key' },
      { keyId: 'broken', reason: 'is not a readable public key' },
    ]);
    expect(result.signatures[0]!.failure).toBe('no trusted key is usable');
  });

  it('says so when the project trusts no keys', () => {
    const a = ed25519('a');
    const result = verifyDsseEnvelope(parseDsseEnvelope(envelopeSignedBy(type, body, [a])), []);
    expect(result.signatures[0]!.failure).toBe('the project trusts no keys');
    expect(meetsThreshold(result)).toBe(false);
  });

  it('answers false, not an exception, for garbage and truncated signatures', () => {
    const ec = p256('ec', 'der');
    const ed = ed25519('ed');
    const good = envelopeSignedBy(type, body, [ec]);
    const der = Buffer.from(good.signatures[0]!.sig, 'base64');
    const garbage = [
      Buffer.from([0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]),
      der.subarray(0, der.length - 1),
      Buffer.alloc(64),
      Buffer.alloc(0),
    ];
    const envelope = { ...good, signatures: garbage.map((g) => ({ sig: g.toString('base64') })) };
    const result = verifyDsseEnvelope(parseDsseEnvelope(envelope), [ec.trusted, ed.trusted]);
    expect(result.verifiedKeyIds).toEqual([]);
    expect(result.signatures.every((s) => s.failure !== undefined)).toBe(true);
  });

  it('hands on exactly the verified payload bytes', () => {
    const a = ed25519('a');
    const result = verifyDsseEnvelope(parseDsseEnvelope(envelopeSignedBy(type, body, [a])), [a.trusted]);
    expect(result.payload.toString('utf8')).toBe(body);
    expect(result.payloadType).toBe(type);
  });
});
