import type { LeafEvent } from './canonical-leaf.js';
import type { SignedCheckpoint } from '#transparency-log';
import { type LogProblem, type LogVerificationResult, LogVerifier } from './log-verifier.js';

/** Why a sealed log failed: LogVerifier's problems, or an export file that is not well-formed. */
export type AuditProblem = LogProblem | 'malformed-export';

/** The answer of POST /v1/audit/verify and of the offline verifier. */
export interface AuditVerification {
  readonly ok: boolean;
  /** Events compared with the log, at most the checkpoint's tree size. */
  readonly checkedEvents: number;
  /** Tree size of the signed checkpoint verified against. */
  readonly treeSize: number;
  /** Its signed root (hex). */
  readonly rootHash: string;
  /** Root of the events as found (hex); null when not computed. */
  readonly computedRoot: string | null;
  /**
   * Global position of the first bad entry: the position the log sealed there (so a deleted event
   * is named, not its successor), else the position of the event found there; null when it
   * cannot be located (e.g. events and recorded leaf hashes were both rewritten to agree).
   */
  readonly firstMismatchPosition: number | null;
  readonly firstMismatchLeafIndex: number | null;
  readonly problem: AuditProblem | null;
  /** One line for people. */
  readonly detail: string;
}

/** One leaf of a sealed log beside the event found at the same place in the store's order. */
export interface LogEntry {
  /** What the log recorded when sealing, or null if that record is gone. */
  readonly leaf: { readonly position: number; readonly leafHash: Uint8Array } | null;
  /** The event now found there, or null when the store ran out of events. */
  readonly event: LeafEvent | null;
}

/**
 * LogVerifier plus the positions the log recorded, so that a failure names the event that was
 * sealed at the first bad leaf. Feed entries in leaf order; the checkpoint must already be trusted.
 */
export class LocatingVerifier {
  private readonly verifier: LogVerifier;
  private sealedPositions = new Float64Array(1024);
  private added = 0;
  private eventsEnded = false;
  /** First entry whose recorded leaf is gone while its event is there, with that event's position. */
  private missingRecord: { index: number; position: number | null } | null = null;

  constructor(private readonly checkpoint: SignedCheckpoint) {
    this.verifier = new LogVerifier(checkpoint);
  }

  /** True once the checkpoint's tree size is reached (or the events ran out). */
  get complete(): boolean {
    return this.eventsEnded || this.verifier.complete;
  }

  add(entry: LogEntry): void {
    if (this.complete) return;
    this.record(this.added, entry.leaf?.position ?? Number.NaN);
    this.added++;
    if (entry.event === null) {
      this.eventsEnded = true;
      return;
    }
    if (entry.leaf === null && this.missingRecord === null) {
      const position: unknown = (entry.event as Partial<LeafEvent>).position;
      this.missingRecord = { index: this.added - 1, position: typeof position === 'number' ? position : null };
    }
    this.verifier.add(entry.event, entry.leaf?.leafHash);
  }

  result(): AuditVerification {
    const r = this.verifier.result();
    if (r.ok && this.missingRecord !== null) {
      // The events match the signed root, but the log's own record is damaged: proofs and restarts would fail.
      const { index, position } = this.missingRecord;
      return {
        ...this.summary(r),
        ok: false,
        firstMismatchPosition: position,
        firstMismatchLeafIndex: index,
        problem: 'stored-hash-mismatch',
        detail: explain('stored-hash-mismatch', r.checkedEvents, r.treeSize, index, position),
      };
    }
    const index = r.firstMismatchIndex;
    const sealed = index !== null && index < this.added ? this.sealedPositions[index]! : Number.NaN;
    let position: number | null = null;
    if (r.problem === 'leaf-mismatch' || r.problem === 'missing-events') position = Number.isNaN(sealed) ? r.firstMismatchPosition : sealed;
    // The events are intact there; the recorded leaf (its position included) is what changed.
    if (r.problem === 'stored-hash-mismatch') position = r.firstMismatchPosition;
    return {
      ...this.summary(r),
      ok: r.ok,
      firstMismatchPosition: position,
      firstMismatchLeafIndex: index,
      problem: r.problem,
      detail: explain(r.problem, r.checkedEvents, r.treeSize, index, position),
    };
  }

  private summary(r: LogVerificationResult): Pick<AuditVerification, 'checkedEvents' | 'treeSize' | 'rootHash' | 'computedRoot'> {
    return { checkedEvents: r.checkedEvents, treeSize: r.treeSize, rootHash: this.checkpoint.rootHash, computedRoot: r.computedRoot };
  }

  private record(index: number, position: number): void {
    if (index >= this.sealedPositions.length) {
      const grown = new Float64Array(this.sealedPositions.length * 2);
      grown.set(this.sealedPositions);
      this.sealedPositions = grown;
    }
    this.sealedPositions[index] = position;
  }
}

/** The result for a checkpoint that failed its signature check: nothing else can be trusted. */
export function checkpointRejected(checkpoint: Partial<SignedCheckpoint>, reason: string): AuditVerification {
  return {
    ok: false,
    checkedEvents: 0,
    treeSize: Number.isSafeInteger(checkpoint.treeSize) ? checkpoint.treeSize! : 0,
    rootHash: typeof checkpoint.rootHash === 'string' ? checkpoint.rootHash : '',
    computedRoot: null,
    firstMismatchPosition: null,
    firstMismatchLeafIndex: null,
    problem: 'checkpoint-invalid',
    detail: `the checkpoint is not trusted: ${reason}`,
  };
}

/** The result for an export file that cannot be read as one. */
export function malformedExport(checkpoint: SignedCheckpoint, checkedEvents: number, leafIndex: number, reason: string): AuditVerification {
  return {
    ok: false,
    checkedEvents,
    treeSize: checkpoint.treeSize,
    rootHash: checkpoint.rootHash,
    computedRoot: null,
    firstMismatchPosition: null,
    firstMismatchLeafIndex: leafIndex,
    problem: 'malformed-export',
    detail: `the export is malformed at leaf ${leafIndex}: ${reason}`,
  };
}

/** The one-line report of the CLI and the logs: "ok: …" or "TAMPERED: …". */
export function describeAuditVerification(result: AuditVerification): string {
  return result.ok ? `ok: ${result.detail}` : `TAMPERED: ${result.detail}`;
}

function explain(problem: LogProblem | null, checked: number, treeSize: number, index: number | null, position: number | null): string {
  const at = position !== null ? `position ${position} (leaf ${index})` : index !== null ? `leaf ${index}` : 'an unknown place';
  switch (problem) {
    case null:
      return `${checked} events match the signed checkpoint at tree size ${treeSize}`;
    case 'leaf-mismatch':
      return `first bad event at ${at}: the event there is not the one sealed (modified, deleted, inserted or reordered)`;
    case 'stored-hash-mismatch':
      return `the events match the signed root, but the log's record of the leaf at ${at} was altered or removed`;
    case 'missing-events':
      return `only ${checked} of ${treeSize} sealed events are present; first missing at ${at}`;
    case 'root-mismatch':
      return `the events do not hash to the signed root of tree size ${treeSize}, and the recorded leaf hashes were rewritten or removed to match them`;
    case 'checkpoint-invalid':
      return 'the checkpoint is not validly signed';
  }
}
