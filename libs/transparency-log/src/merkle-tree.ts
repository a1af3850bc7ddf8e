import { rfc6962 } from './hash-block.js';
import { BLOCK_SLOTS, HashList } from './hash-list.js';
import { HASH_SIZE, assertWellFormed, emptyRoot, nodeHashOf, splitPoint } from './merkle-hash.js';

/**
 * An in-memory RFC 6962 / RFC 9162 Merkle tree over leaf hashes.
 *
 * Storage: level h keeps the hash of every complete, aligned subtree of 2^h leaves (level 0 =
 * leaf hashes), about 2 x 32 bytes per leaf. Appending a leaf completes on average one parent,
 * so appends cost amortised O(1) hashing. Any subtree the RFC's recursion asks for is either such
 * a perfect subtree (a lookup) or a right edge made of at most log2(n) of them, so `rootAt`,
 * inclusion and consistency proofs cost O(log n) hashing at any size up to the current one.
 */
export class MerkleTree {
  private readonly levels: HashList[] = [new HashList()];
  private count = 0;

  /** Number of leaves. */
  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash (see `leafHashOf`); returns its leaf index. */
  append(leafHash: Uint8Array): number {
    if (leafHash.length !== HASH_SIZE) throw new RangeError(`a leaf hash must be ${HASH_SIZE} bytes`);
    const index = this.count;
    this.levels[0]!.writable(index).set(index % BLOCK_SLOTS, leafHash);
    this.count = index + 1;
    this.completeParents(index);
    return index;
  }

  /** Appends leaf hashes in order. */
  appendAll(leafHashes: Iterable<Uint8Array>): void {
    for (const leafHash of leafHashes) this.append(leafHash);
  }

  /**
   * Hashes `data` as a leaf (SHA-256(0x00 || data), a string taken as UTF-8) and appends it;
   * returns its leaf index. Same result as `append(leafHashOf(data))`, minus an allocation.
   */
  appendData(data: Uint8Array | string): number {
    if (typeof data === 'string') assertWellFormed(data);
    const index = this.count;
    rfc6962.leaf(data, this.levels[0]!.writable(index), index % BLOCK_SLOTS);
    this.count = index + 1;
    this.completeParents(index);
    return index;
  }

  /**
   * Drops the leaves from `treeSize` on, e.g. those of a batch whose transaction rolled back.
   * Hashes stored for subtrees past the new size are never read (every lookup stays within the
   * size) and are overwritten as new leaves complete them, so nothing needs clearing.
   */
  truncate(treeSize: number): void {
    checkSize(treeSize, this.count);
    this.count = treeSize;
  }

  /** The stored hash of leaf `index`. */
  leafHash(index: number): Uint8Array {
    checkIndex(index, this.count, 'leaf index');
    return this.levels[0]!.get(index);
  }

  /** MTH of the whole tree. */
  root(): Uint8Array {
    return this.rootAt(this.count);
  }

  /** MTH(D[0:treeSize]) for any treeSize from 0 to `size`. */
  rootAt(treeSize: number): Uint8Array {
    checkSize(treeSize, this.count);
    return this.rangeHash(0, treeSize);
  }

  /** RFC 6962 §2.1.1 audit path PATH(m, D[n]), leaf side first. */
  inclusionProof(leafIndex: number, treeSize: number = this.count): Uint8Array[] {
    checkSize(treeSize, this.count);
    checkIndex(leafIndex, treeSize, 'leaf index');
    const proof: Uint8Array[] = [];
    // Walk down from the root, recording the sibling of every subtree that holds the leaf.
    let start = 0;
    let end = treeSize;
    while (end - start > 1) {
      const k = splitPoint(end - start);
      if (leafIndex < start + k) {
        proof.push(this.rangeHash(start + k, end));
        end = start + k;
      } else {
        proof.push(this.rangeHash(start, start + k));
        start += k;
      }
    }
    return proof.reverse();
  }

  /**
   * RFC 6962 §2.1.2 consistency proof PROOF(m, D[n]) between sizes `fromSize` and `toSize`.
   * Empty when fromSize is 0 or equals toSize (nothing to prove).
   */
  consistencyProof(fromSize: number, toSize: number = this.count): Uint8Array[] {
    checkSize(toSize, this.count);
    checkSize(fromSize, toSize);
    const proof: Uint8Array[] = [];
    if (fromSize === 0 || fromSize === toSize) return proof;
    // Iterative SUBPROOF(m, D[start:end], b), collected root side first and reversed at the end.
    let m = fromSize;
    let start = 0;
    let end = toSize;
    let completeSubtree = true; // b: whether D[start:start+m] is a subtree the verifier already knows
    while (m !== end - start) {
      const k = splitPoint(end - start);
      if (m <= k) {
        proof.push(this.rangeHash(start + k, end));
        end = start + k;
      } else {
        proof.push(this.rangeHash(start, start + k));
        start += k;
        m -= k;
        completeSubtree = false;
      }
    }
    if (!completeSubtree) proof.push(this.rangeHash(start, end));
    return proof.reverse();
  }

  /** Fills in every parent that the leaf at `index` completes (a binary carry). */
  private completeParents(index: number): void {
    let childIndex = index;
    let level = 0;
    while (childIndex % 2 === 1) {
      const source = this.levels[level]!.readable(childIndex);
      const parentIndex = (childIndex - 1) / 2;
      level++;
      const parents = this.levels[level] ?? (this.levels[level] = new HashList());
      // Siblings 2j, 2j+1 share a block (BLOCK_SLOTS is even), so they are adjacent slots.
      rfc6962.adjacentPair(source, (childIndex - 1) % BLOCK_SLOTS, parents.writable(parentIndex), parentIndex % BLOCK_SLOTS);
      childIndex = parentIndex;
    }
  }

  /**
   * MTH(D[start:end]) for ranges produced by RFC 6962's recursion, whose start is a multiple of
   * the smallest power of two >= their length. Such a range splits into perfect subtrees, largest
   * first, all stored; they are folded from the right edge inwards.
   */
  private rangeHash(start: number, end: number): Uint8Array {
    const length = end - start;
    if (length === 0) return emptyRoot();
    const pieces: Uint8Array[] = [];
    let width = 1;
    let level = 0;
    while (width * 2 <= length) {
      width *= 2;
      level++;
    }
    let offset = start;
    for (; width >= 1; width /= 2, level--) {
      if (offset + width > end) continue;
      if (offset % width !== 0) throw new Error(`internal error: unaligned subtree [${offset}, ${offset + width})`);
      pieces.push(this.levels[level]!.get(offset / width));
      offset += width;
    }
    let hash = pieces.pop()!;
    for (let piece = pieces.pop(); piece !== undefined; piece = pieces.pop()) hash = nodeHashOf(piece, hash);
    return hash;
  }
}

function checkSize(treeSize: number, limit: number): void {
  if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > limit) {
    throw new RangeError(`tree size ${treeSize} is outside 0..${limit}`);
  }
}

function checkIndex(index: number, treeSize: number, what: string): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
    throw new RangeError(`${what} ${index} is outside 0..${treeSize - 1}`);
  }
}
