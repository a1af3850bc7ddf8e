import { HASH_SIZE, HashBlock, rfc6962 } from './hash-block.js';

export { HASH_SIZE };

/*
 * RFC 6962 §2.1 / RFC 9162 §2.1.1 hashing with SHA-256: the 0x00 / 0x01 prefixes keep a leaf
 * from ever being passed off as an interior node (second-preimage resistance).
 */

// Digest target for the helpers below, which return copies (single-threaded, so sharing is safe).
const scratch = new HashBlock(1);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Rejects strings whose UTF-8 encoding would be lossy (Node replaces lone surrogates with U+FFFD). */
export function assertWellFormed(text: string): void {
  if (LONE_SURROGATE.test(text)) throw new TypeError('string contains a lone surrogate');
}

/** MTH({}) = SHA-256(""), the root of the empty tree. */
export function emptyRoot(): Uint8Array {
  scratch.digest(0, new Uint8Array(0));
  return scratch.get(0);
}

/** Leaf hash SHA-256(0x00 || data); a string is taken as its UTF-8 bytes. */
export function leafHashOf(data: Uint8Array | string): Uint8Array {
  if (typeof data === 'string') assertWellFormed(data);
  rfc6962.leaf(data, scratch, 0);
  return scratch.get(0);
}

/** Interior node hash SHA-256(0x01 || left || right). */
export function nodeHashOf(left: Uint8Array, right: Uint8Array): Uint8Array {
  rfc6962.pair(left, right, scratch, 0);
  return scratch.get(0);
}

/** Largest power of two strictly less than n (n >= 2): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
