import { type KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { bytesEqual, fromBase64, toBase64 } from './encoding.js';

/** Ed25519 keys for signing checkpoints (node:crypto KeyObjects). */
export interface SigningKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export const ED25519_PUBLIC_KEY_SIZE = 32;
const SEED_SIZE = 32;
// DER prefix of a PKCS#8 Ed25519 private key (RFC 8410 §7) before the 32-byte seed.
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

export function generateSigningKeyPair(): SigningKeyPair {
  return generateKeyPairSync('ed25519');
}

/**
 * Reads a private signing key as an `AUDIT_SIGNING_KEY` value holds it: a PKCS#8 PEM
 * (`-----BEGIN PRIVATE KEY-----`), or base64 of the 32-byte seed (or of seed || public key,
 * the 64-byte form libsodium and Go use, whose public half is then checked).
 */
export function importSigningKey(material: string): KeyObject {
  const text = material.trim();
  if (text.startsWith('-----BEGIN')) {
    const key = createPrivateKey({ key: text, format: 'pem' });
    assertEd25519(key);
    return key;
  }
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(text);
  } catch {
    throw new TypeError('signing key must be a PKCS#8 PEM or base64 of a 32-byte Ed25519 seed');
  }
  if (bytes.length === SEED_SIZE) return signingKeyFromSeed(bytes);
  if (bytes.length === SEED_SIZE + ED25519_PUBLIC_KEY_SIZE) {
    const key = signingKeyFromSeed(bytes.subarray(0, SEED_SIZE));
    if (!bytesEqual(exportPublicKeyRaw(key), bytes.subarray(SEED_SIZE))) {
      throw new TypeError('signing key: public half does not match the seed');
    }
    return key;
  }
  throw new TypeError(`signing key seed must be ${SEED_SIZE} bytes, got ${bytes.length}`);
}

export function signingKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== SEED_SIZE) throw new TypeError(`an Ed25519 seed must be ${SEED_SIZE} bytes`);
  const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + SEED_SIZE);
  der.set(PKCS8_ED25519_PREFIX);
  der.set(seed, PKCS8_ED25519_PREFIX.length);
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
}

/** Base64 of the 32-byte seed: the compact `AUDIT_SIGNING_KEY` form. Treat the result as a secret. */
export function exportSigningKeySeed(privateKey: KeyObject): string {
  assertEd25519(privateKey, 'private');
  const jwk = privateKey.export({ format: 'jwk' });
  if (typeof jwk.d !== 'string') throw new TypeError('not an Ed25519 private key');
  return toBase64(Buffer.from(jwk.d, 'base64url'));
}

/** The public key of a private key (or the key itself if already public). */
export function publicKeyOf(key: KeyObject): KeyObject {
  assertEd25519(key);
  return key.type === 'public' ? key : createPublicKey(key);
}

/** Raw 32-byte Ed25519 public key (RFC 8032 encoding) of a public or private key. */
export function exportPublicKeyRaw(key: KeyObject): Uint8Array {
  const jwk = publicKeyOf(key).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new TypeError('not an Ed25519 key');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}

/** Base64 of the raw 32-byte public key (the `publicKey` field of a checkpoint). */
export function exportPublicKeyBase64(key: KeyObject): string {
  return toBase64(exportPublicKeyRaw(key));
}

/** A public KeyObject from raw 32 bytes, their base64, or a KeyObject (private keys yield their public half). */
export function importPublicKey(key: KeyObject | Uint8Array | string): KeyObject {
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) return publicKeyOf(key);
  const raw = typeof key === 'string' ? fromBase64(key) : key;
  if (raw.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw new TypeError(`an Ed25519 public key must be ${ED25519_PUBLIC_KEY_SIZE} bytes`);
  }
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

function assertEd25519(key: KeyObject, type?: 'private' | 'public'): void {
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('expected an Ed25519 key');
  if (type !== undefined && key.type !== type) throw new TypeError(`expected an Ed25519 ${type} key`);
}
