import { HashBlock, rfc6962 } from './hash-block.js';
import { HASH_SIZE, assertWellFormed, emptyRoot, nodeHashOf } from './merkle-hash.js';

/** Enough for any safe-integer leaf count (one pending perfect subtree per bit). */
const MAX_DEPTH = 64;

/**
 * Streaming root computation: keeps only the roots of the perfect subtrees that make up the
 * leaves seen so far (one per set bit of the count), so memory stays O(log n) however long the
 * log. Used by verifiers that need the root, not proofs.
 */
export class CompactRange {
  private readonly stack = new HashBlock(MAX_DEPTH);
  private depth = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  appendLeafHash(leafHash: Uint8Array): void {
    if (leafHash.length !== HASH_SIZE) throw new RangeError(`a leaf hash must be ${HASH_SIZE} bytes`);
    this.stack.set(this.depth, leafHash);
    this.pushed();
  }

  /** Hashes `data` as a leaf (string = UTF-8) and appends it. */
  appendData(data: Uint8Array | string): void {
    if (typeof data === 'string') assertWellFormed(data);
    rfc6962.leaf(data, this.stack, this.depth);
    this.pushed();
  }

  /** MTH of all leaves appended so far. */
  root(): Uint8Array {
    if (this.depth === 0) return emptyRoot();
    let hash = this.stack.get(this.depth - 1);
    for (let slot = this.depth - 2; slot >= 0; slot--) hash = nodeHashOf(this.stack.get(slot), hash);
    return hash;
  }

  private pushed(): void {
    this.depth++;
    // Merge equal-sized neighbours, like a binary counter's carry.
    let index = this.count;
    while (index % 2 === 1) {
      this.depth--;
      rfc6962.adjacentPair(this.stack, this.depth - 1, this.stack, this.depth - 1);
      index = (index - 1) / 2;
    }
    this.count++;
  }
}
