import { createPublicKey, type KeyObject } from 'node:crypto';

/** A project's trusted signing key, as the project setting `trustedKeys` holds it. */
export interface TrustedKey {
  readonly keyId: string;
  readonly algorithm: 'ed25519' | 'ecdsa-p256';
  /** SPKI public key, PEM. */
  readonly publicKey: string;
}

export interface LoadedKey {
  readonly keyId: string;
  readonly algorithm: TrustedKey['algorithm'];
  readonly key: KeyObject;
}

export interface UnusableKey {
  readonly keyId: string;
  readonly reason: string;
}

/**
 * Parses each PEM once and checks it is the algorithm it claims, so a key listed as Ed25519 can
 * never verify as ECDSA or the other way round. Settings are checked when saved; a key that still
 * does not load (settings written before a check existed) is set aside and reported, not thrown,
 * so the other keys go on verifying.
 */
export function loadTrustedKeys(keys: readonly TrustedKey[]): { readonly usable: LoadedKey[]; readonly unusable: UnusableKey[] } {
  const usable: LoadedKey[] = [];
  const unusable: UnusableKey[] = [];
  for (const k of keys) {
    let key: KeyObject;
    try {
      key = createPublicKey(k.publicKey);
    } catch {
      unusable.push({ keyId: k.keyId, reason: 'is not a readable public key' });
      continue;
    }
    const matches =
      k.algorithm === 'ed25519'
        ? key.asymmetricKeyType === 'ed25519'
        : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    if (matches) usable.push({ keyId: k.keyId, algorithm: k.algorithm, key });
    else unusable.push({ keyId: k.keyId, reason: `is not an ${k.algorithm} public key` });
  }
  return { usable, unusable };
}
