import { HashBlock } from './hash-block.js';

/** Slots per storage block (512 KiB): big enough to amortise, small enough to never copy much. */
export const BLOCK_SLOTS = 16_384;
const FIRST_CAPACITY = 16;

/**
 * An append-only, growable array of 32-byte hashes stored in fixed-size blocks, so a tree of
 * millions of leaves never reallocates (and copies) one huge buffer. Only the first block grows
 * by doubling, which keeps small trees small. Slot of index i is always `i % BLOCK_SLOTS`.
 */
export class HashList {
  private readonly blocks: HashBlock[] = [];

  /** The block that holds (or will hold) `index`; allocates when `index` is the next free one. */
  writable(index: number): HashBlock {
    const blockIndex = Math.floor(index / BLOCK_SLOTS);
    let block = this.blocks[blockIndex];
    if (blockIndex === 0 && (block === undefined || block.capacity <= index)) {
      const grown = new HashBlock(Math.min(BLOCK_SLOTS, Math.max(FIRST_CAPACITY, (block?.capacity ?? 0) * 2)));
      if (block !== undefined) grown.bytes.set(block.bytes);
      this.blocks[0] = grown;
      return grown;
    }
    if (block === undefined) {
      block = new HashBlock(BLOCK_SLOTS);
      this.blocks[blockIndex] = block;
    }
    return block;
  }

  /** The block holding an already written `index`. */
  readable(index: number): HashBlock {
    const block = this.blocks[Math.floor(index / BLOCK_SLOTS)];
    if (block === undefined) throw new RangeError(`hash index ${index} was never written`);
    return block;
  }

  get(index: number): Uint8Array {
    return this.readable(index).get(index % BLOCK_SLOTS);
  }
}
