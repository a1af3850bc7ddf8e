import type { KeyObject } from 'node:crypto';
import { IllegalState } from '#kernel';
import { type SignedCheckpoint, verifyCheckpoint, toHex, HASH_SIZE, MerkleTree, exportPublicKeyBase64 } from '#transparency-log';
import type { SealStore } from './seal-store.js';

/** The stored log contradicts its own signed checkpoints: tampering, or a key or origin that changed. */
export class LogIntegrityError extends IllegalState {}

/** Whose checkpoints this process accepts. */
export interface LogTrust {
  readonly publicKey: KeyObject;
  readonly origin: string;
}

/**
 * The sealed log as this process sees it: the in-memory Merkle tree over the stored leaf hashes
 * (about 64 bytes per leaf), from which proofs are served. In the process that runs the sealer,
 * the sealer grows the tree; anywhere else it is loaded from SQL on demand. Every change to the
 * tree runs under `exclusive`, and every checkpoint served is first checked against the trusted
 * key and against the tree, so a tampered leaves table is refused rather than proven from.
 */
export class SealedLog {
  readonly tree = new MerkleTree();
  private tail: Promise<unknown> = Promise.resolve();
  private checkedNote: string | null = null;

  constructor(
    readonly store: SealStore,
    readonly trust: LogTrust,
  ) {}

  /** Runs `work` after every earlier exclusive task has finished (a promise-chained mutex). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Appends the stored leaf hashes from the tree's size up to `treeSize`. Call inside `exclusive`. */
  async loadTo(treeSize: number): Promise<void> {
    if (this.tree.size >= treeSize) return;
    let index = this.tree.size;
    try {
      for await (const page of this.store.leafHashPages(index, treeSize)) {
        for (let offset = 0; offset < page.length; offset += HASH_SIZE) {
          this.tree.append(page.subarray(offset, offset + HASH_SIZE));
          index++;
        }
      }
    } catch (error) {
      this.tree.truncate(Math.min(this.tree.size, index));
      if (error instanceof RangeError) throw new LogIntegrityError(`the audit log's ${error.message}`);
      throw error;
    }
  }

  /**
   * Throws LogIntegrityError unless `checkpoint` is signed by the trusted key for the trusted
   * origin and the tree (which must already cover it) has exactly its root.
   */
  check(checkpoint: SignedCheckpoint): void {
    if (checkpoint.note === this.checkedNote) return;
    const verdict = verifyCheckpoint(checkpoint, this.trust.publicKey, { origin: this.trust.origin });
    if (!verdict.ok) {
      throw new LogIntegrityError(
        `the audit log's checkpoint at tree size ${checkpoint.treeSize} is not accepted (${verdict.reason}): ` +
          `this process trusts origin "${this.trust.origin}" signed by public key ${exportPublicKeyBase64(this.trust.publicKey)}, ` +
          `the checkpoint names public key ${checkpoint.publicKey}`,
      );
    }
    if (this.tree.size < checkpoint.treeSize) throw new RangeError('the tree does not cover the checkpoint yet');
    if (toHex(this.tree.rootAt(checkpoint.treeSize)) !== checkpoint.rootHash) {
      throw new LogIntegrityError(`the audit log's stored leaves do not hash to the signed root at tree size ${checkpoint.treeSize}`);
    }
    this.checkedNote = checkpoint.note;
  }

  /** Marks a checkpoint this process has just signed over its own tree as checked. */
  accept(checkpoint: SignedCheckpoint): void {
    this.checkedNote = checkpoint.note;
  }

  /** The latest signed checkpoint with the tree covering it, checked; null when none was signed yet. */
  async latest(): Promise<SignedCheckpoint | null> {
    const checkpoint = await this.store.latestCheckpoint();
    if (checkpoint === null) return null;
    if (this.tree.size < checkpoint.treeSize) await this.exclusive(() => this.loadTo(checkpoint.treeSize));
    this.check(checkpoint);
    return checkpoint;
  }
}
