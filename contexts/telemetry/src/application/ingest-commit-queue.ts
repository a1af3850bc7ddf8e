import type { StreamAppend } from '#kernel';
import type { CdEventJournal, RecordOutcome, ToRecord } from './cdevent-journal.js';

/** Most CDEvents one group commit carries. */
const MAX_GROUP_ENTRIES = 1000;

interface Waiting {
  readonly entries: readonly ToRecord[];
  /** The record of the access decision that allowed the request (null when it is not recorded). */
  readonly decision: StreamAppend | null;
  readonly streams: readonly string[];
  resolve(outcomes: RecordOutcome[]): void;
  reject(error: unknown): void;
}

/**
 * Group commit for ingest. A request arriving while no commit is in flight is committed at once;
 * requests arriving during a commit wait for it and are then committed together, each with its
 * access decision, in one multi-stream append. Concurrent pipelines thus share commits instead of
 * queueing for one each, and an idle server adds no delay. Groups keep arrival order; a request
 * whose identities meet those already in the group starts the next group, so no append names a
 * stream twice. The commit goes through the write path (CdEventJournal → CommandExecutor.executeAll). A failure of the store fails every request of that group (nothing of it is stored).
 */
export class IngestCommitQueue {
  private readonly waiting: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly journal: CdEventJournal,
    private readonly concurrency: number,
  ) {}

  /** Records one request's new CDEvents and the decision that allowed them; outcomes in entry order. */
  record(entries: readonly ToRecord[], decision: StreamAppend | null): Promise<RecordOutcome[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ entries, decision, streams: entries.map((e) => this.journal.streamIdOf(e)), resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiting.length > 0) {
      const group = this.nextGroup();
      try {
        const outcomes = await this.journal.recordAll(
          group.flatMap((w) => w.entries),
          this.concurrency,
          group.flatMap((w) => (w.decision ? [w.decision] : [])),
        );
        let offset = 0;
        for (const w of group) {
          w.resolve(outcomes.slice(offset, offset + w.entries.length));
          offset += w.entries.length;
        }
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
    this.flushing = false;
  }

  private nextGroup(): Waiting[] {
    const streams = new Set<string>();
    let size = 0;
    let count = 0;
    for (const w of this.waiting) {
      if (count > 0 && (size + w.entries.length > MAX_GROUP_ENTRIES || w.streams.some((s) => streams.has(s)))) break;
      count++;
      size += w.entries.length;
      for (const s of w.streams) streams.add(s);
    }
    return this.waiting.splice(0, count);
  }
}
