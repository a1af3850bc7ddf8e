/** A hash algorithm of Sigstore's `HashAlgorithm` enum, as protobuf JSON spells it. */
export interface DigestAlgorithm {
  /** The in-toto DigestSet name (`sha256`, `sha3_256`), as the rest of the evidence layer names digests. */
  readonly name: string;
  /** node:crypto's name. */
  readonly node: string;
  readonly bytes: number;
}

/**
 * The enum values a bundle may name. `HASH_ALGORITHM_UNSPECIFIED` is left out: @sigstore/verify
 * would quietly take it as SHA-256, and a bundle that does not say what it hashed with is not
 * one to guess about.
 */
export const DIGEST_ALGORITHMS: ReadonlyMap<string, DigestAlgorithm> = new Map([
  ['SHA2_256', { name: 'sha256', node: 'sha256', bytes: 32 }],
  ['SHA2_384', { name: 'sha384', node: 'sha384', bytes: 48 }],
  ['SHA2_512', { name: 'sha512', node: 'sha512', bytes: 64 }],
  ['SHA3_256', { name: 'sha3_256', node: 'sha3-256', bytes: 32 }],
  ['SHA3_384', { name: 'sha3_384', node: 'sha3-384', bytes: 48 }],
]);
