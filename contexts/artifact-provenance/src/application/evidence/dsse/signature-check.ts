import { verify } from 'node:crypto';
import type { LoadedKey } from './trusted-keys.js';

/** P-256 r and s are 32 bytes each; IEEE P1363 ("raw") is their concatenation. */
const P256_RAW_LENGTH = 64;

/** Shape of an ASN.1 DER SEQUENCE of two INTEGERs, as OpenSSL, Go and Java write ECDSA signatures. */
const looksLikeDer = (sig: Uint8Array): boolean => sig.length >= 8 && sig.length <= 72 && sig[0] === 0x30 && sig[1] === sig.length - 2;

/**
 * Whether `sig` is `key`'s signature over `message`. Ed25519 signs the message itself; ECDSA
 * P-256 signs its SHA-256. ECDSA producers differ in encoding (DER from OpenSSL and cosign, raw
 * r||s from WebCrypto, KMS and the DSSE reference vectors), so both are tried; either encoding
 * states the same (r, s), so accepting both admits no other signature.
 */
export function signatureVerifies(key: LoadedKey, message: Uint8Array, sig: Uint8Array): boolean {
  try {
    if (key.algorithm === 'ed25519') return sig.length === 64 && verify(null, message, key.key, sig);
    if (sig.length === P256_RAW_LENGTH && verify('sha256', message, { key: key.key, dsaEncoding: 'ieee-p1363' }, sig)) return true;
    return looksLikeDer(sig) && verify('sha256', message, { key: key.key, dsaEncoding: 'der' }, sig);
  } catch {
    // OpenSSL throws on a malformed DER signature instead of answering false.
    return false;
  }
}
