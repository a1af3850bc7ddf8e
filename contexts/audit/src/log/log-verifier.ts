import { type LeafEvent, canonicalLeafJson } from './canonical-leaf.js';
import { CompactRange, bytesEqual, fromHex, toHex, HashBlock, rfc6962, HASH_SIZE } from '#transparency-log';

/**
 * Why a log failed verification:
 * - `checkpoint-invalid`: the checkpoint is not validly signed by the trusted key (decided by
 *   whoever checks its signature before verifying against it; see `checkpointRejected`);
 * - `leaf-mismatch`: an event does not hash to the leaf recorded for its index (modified,
 *   deleted or reordered at `firstMismatchIndex`), or cannot be canonicalised at all;
 * - `stored-hash-mismatch`: the events match the signed root, but a recorded leaf hash does not
 *   (the recorded hashes were altered, so proofs served from them would be wrong);
 * - `missing-events`: fewer events than the checkpoint's tree size;
 * - `root-mismatch`: the events do not hash to the signed root (without recorded leaf hashes
 *   the culprit cannot be located; with them, the recorded hashes were altered too).
 */
export type LogProblem = 'checkpoint-invalid' | 'leaf-mismatch' | 'stored-hash-mismatch' | 'missing-events' | 'root-mismatch';

export interface LogVerificationResult {
  readonly ok: boolean;
  /** Events hashed, in log order: at most the checkpoint's tree size (later ones are not sealed yet). */
  readonly checkedEvents: number;
  readonly treeSize: number;
  /** Root of the checked events (hex); null when the checkpoint was rejected first. */
  readonly computedRoot: string | null;
  /** Leaf index of the first entry known to be bad; null when none, or when it cannot be located. */
  readonly firstMismatchIndex: number | null;
  /** `position` of the event found at `firstMismatchIndex`; null when that entry is missing. */
  readonly firstMismatchPosition: number | null;
  readonly problem: LogProblem | null;
}

/**
 * Streaming verification of the events under one (already trusted: check its signature first)
 * checkpoint: feed events in log order with `add`, then read `result()`. Memory is O(log n); the
 * server's verify endpoint and the offline CLI drive it from their own sources (LocatingVerifier).
 */
export class LogVerifier {
  private readonly range = new CompactRange();
  private readonly leaf = new HashBlock(1);
  private readonly treeSize: number;
  private readonly expectedRoot: Uint8Array;
  private comparedEvery = true;
  private mismatchIndex: number | null = null;
  private mismatchPosition: number | null = null;

  constructor(checkpoint: { readonly treeSize: number; readonly rootHash: Uint8Array | string }) {
    if (!Number.isSafeInteger(checkpoint.treeSize) || checkpoint.treeSize < 0) {
      throw new RangeError('invalid tree size');
    }
    this.treeSize = checkpoint.treeSize;
    this.expectedRoot = typeof checkpoint.rootHash === 'string' ? fromHex(checkpoint.rootHash) : checkpoint.rootHash;
    if (this.expectedRoot.length !== HASH_SIZE) throw new RangeError(`root hash must be ${HASH_SIZE} bytes`);
  }

  /** True once `treeSize` events were added; further events are outside the checkpoint. */
  get complete(): boolean {
    return this.range.size >= this.treeSize;
  }

  /**
   * Adds the next event in log order, with the leaf hash recorded for it when it was sealed, if
   * known. Comparing against recorded hashes is what lets the verifier name the first modified,
   * deleted or reordered entry; the signed root still decides whether the log (and these hashes)
   * can be trusted.
   */
  add(event: LeafEvent, storedLeafHash?: Uint8Array): void {
    if (this.complete) return;
    const index = this.range.size;
    let wellFormed = true;
    try {
      rfc6962.leaf(canonicalLeafJson(event), this.leaf, 0);
    } catch {
      // A row that cannot even be canonicalised was never sealed in this shape.
      wellFormed = false;
      this.leaf.bytes.fill(0);
    }
    if (storedLeafHash === undefined) this.comparedEvery = false;
    const bad = !wellFormed || (storedLeafHash !== undefined && !this.leaf.equals(0, storedLeafHash));
    if (bad && this.mismatchIndex === null) {
      this.mismatchIndex = index;
      // Rows may come from untrusted JSON, so even `event` itself may be malformed here.
      const position: unknown = (event as Partial<LeafEvent> | null)?.position;
      this.mismatchPosition = typeof position === 'number' ? position : null;
    }
    this.range.appendLeafHash(this.leaf.bytes);
  }

  result(): LogVerificationResult {
    const checkedEvents = this.range.size;
    const root = this.range.root();
    const base = { checkedEvents, treeSize: this.treeSize, computedRoot: toHex(root) };
    const failed = (problem: LogProblem, index: number | null, position: number | null): LogVerificationResult => ({
      ok: false,
      ...base,
      firstMismatchIndex: index,
      firstMismatchPosition: position,
      problem,
    });
    const rootMatches = checkedEvents === this.treeSize && bytesEqual(root, this.expectedRoot);
    if (this.mismatchIndex !== null) {
      const problem = rootMatches ? 'stored-hash-mismatch' : 'leaf-mismatch';
      return failed(problem, this.mismatchIndex, this.mismatchPosition);
    }
    if (checkedEvents < this.treeSize) {
      // Only when every event matched its recorded leaf is the first missing index certain.
      return failed('missing-events', this.comparedEvery ? checkedEvents : null, null);
    }
    if (!rootMatches) return failed('root-mismatch', null, null);
    return { ok: true, ...base, firstMismatchIndex: null, firstMismatchPosition: null, problem: null };
  }
}
