import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { fromBase64, toBase64 } from './encoding.js';
import {
  exportPublicKeyBase64,
  exportPublicKeyRaw,
  exportSigningKeySeed,
  generateSigningKeyPair,
  importPublicKey,
  importSigningKey,
  publicKeyOf,
} from './signing-key.js';

describe('signing keys', () => {
  const { privateKey, publicKey } = generateSigningKeyPair();
  const message = Buffer.from('checkpoint');

  it('round-trips a private key through its base64 seed (AUDIT_SIGNING_KEY)', () => {
    const seed = exportSigningKeySeed(privateKey);
    expect(fromBase64(seed)).toHaveLength(32);
    const imported = importSigningKey(seed);
    expect(exportPublicKeyBase64(imported)).toBe(exportPublicKeyBase64(publicKey));
    expect(verify(null, message, publicKey, sign(null, message, imported))).toBe(true);
  });

  it('imports a PKCS#8 PEM, with surrounding whitespace', () => {
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(exportPublicKeyBase64(importSigningKey(`\n${pem}\n`))).toBe(exportPublicKeyBase64(publicKey));
  });

  it('accepts the 64-byte seed || public key form only when the halves match', () => {
    const seed = fromBase64(exportSigningKeySeed(privateKey));
    const raw = exportPublicKeyRaw(publicKey);
    expect(exportPublicKeyBase64(importSigningKey(toBase64(Buffer.concat([seed, raw]))))).toBe(exportPublicKeyBase64(publicKey));
    const wrong = exportPublicKeyRaw(generateSigningKeyPair().publicKey);
    expect(() => importSigningKey(toBase64(Buffer.concat([seed, wrong])))).toThrow(TypeError);
  });

  it('rejects other key material', () => {
    expect(() => importSigningKey(toBase64(new Uint8Array(31)))).toThrow(TypeError);
    expect(() => importSigningKey('not base64!')).toThrow(TypeError);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => importSigningKey(ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(TypeError);
    expect(() => exportSigningKeySeed(publicKey)).toThrow(TypeError);
  });

  it('exports and imports raw 32-byte public keys', () => {
    const raw = exportPublicKeyRaw(privateKey);
    expect(raw).toHaveLength(32);
    expect(exportPublicKeyBase64(importPublicKey(raw))).toBe(toBase64(raw));
    expect(exportPublicKeyBase64(importPublicKey(toBase64(raw)))).toBe(toBase64(raw));
    expect(publicKeyOf(privateKey).type).toBe('public');
    expect(() => importPublicKey(new Uint8Array(33))).toThrow(TypeError);
  });
});
