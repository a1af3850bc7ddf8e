import type { Cursor, EventMetadata, EventStore, IdGenerator, NewEvent, StreamAppend } from '#kernel';
import { Conflict, fold, IllegalState, WrongExpectedVersion } from '#kernel';
import type { CdEventRecordedData, CdEventRecordEvent } from '../domain/cdevent-record.decider.js';
import { cdeventRecordDecider, cdeventStreamId } from '../domain/cdevent-record.decider.js';
import { identityHash } from './cdevent-identity.js';

export interface JournalEntry {
  /** 'recorded' the first time; 'duplicate' when the same content was recorded before. */
  readonly outcome: 'recorded' | 'duplicate';
  /** Global position of the (first) recording. */
  readonly position: number;
  /** Set when this call appended: the cursor the read models must reach. */
  readonly cursor: Cursor | null;
}

export interface ToRecord {
  readonly cdevent: CdEventRecordedData;
  readonly metadata: EventMetadata;
}

/** Per entry: what happened, or the Conflict that refused it. */
export type RecordOutcome = JournalEntry | Conflict;

/** PostgreSQL SQLSTATE of a deadlock; the statement was rolled back and may be retried. */
const DEADLOCK = '40P01';

/**
 * Records CDEvents, one stream per identity. Optimistic: an append expects no stream, which
 * needs no read first; only when the stream exists (a retry, or a concurrent duplicate that won
 * the race) is it read and the decider asked whether the content matches (→ duplicate) or
 * not (→ Conflict). The decider stays the one place that judges.
 */
export class CdEventJournal {
  constructor(
    private readonly store: EventStore,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Records entries of distinct identities, and `alongside` (the access decision that allowed
   * them) exactly once. Where the store can append to many streams at once, all new identities
   * and `alongside` are committed together (one commit for a batch or a single event); if any
   * identity is taken, nothing of that attempt is stored: `alongside` is then appended first,
   * alone, and each entry is judged on its own.
   */
  async recordAll(entries: readonly ToRecord[], concurrency: number, alongside?: StreamAppend): Promise<RecordOutcome[]> {
    const extra = alongside ? [alongside] : [];
    if (entries.length + extra.length > 1 && this.store.appendMany) {
      const planned = entries.map((e) => this.plan(e));
      try {
        const appended = await this.store.appendMany([
          ...extra,
          ...planned.map((p) => ({ streamId: p.streamId, events: p.events, expectedVersion: 'no_stream' as const })),
        ]);
        return appended.slice(extra.length).map((a) => ({ outcome: 'recorded', position: a.events[0]!.position, cursor: a.lastCursor }));
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion) && (error as { code?: string }).code !== DEADLOCK) throw error;
      }
    }
    if (alongside) await this.store.append(alongside.streamId, alongside.events, alongside.expectedVersion);
    const outcomes = new Array<RecordOutcome>(entries.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, entries.length) }, async () => {
        while (next < entries.length) {
          const i = next++;
          outcomes[i] = await this.record(entries[i]!).catch((error: unknown) => {
            if (error instanceof Conflict && !(error instanceof WrongExpectedVersion)) return error;
            throw error;
          });
        }
      }),
    );
    return outcomes;
  }

  /** Records one entry, or throws Conflict when its identity holds other content. */
  async record(entry: ToRecord): Promise<JournalEntry> {
    const { streamId, events, command } = this.plan(entry);
    try {
      const appended = await this.store.append(streamId, events, 'no_stream');
      return { outcome: 'recorded', position: appended.events[0]!.position, cursor: appended.lastCursor };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion)) throw error;
    }
    const history = await this.store.readStream(streamId);
    const more = cdeventRecordDecider.decide(command, fold(cdeventRecordDecider, history as unknown as CdEventRecordEvent[]));
    if (more.length > 0 || history.length === 0) throw new IllegalState(`stream ${streamId} exists but holds no recording`);
    return { outcome: 'duplicate', position: history[0]!.position, cursor: null };
  }

  private plan(entry: ToRecord) {
    const command = { type: 'RecordCdEvent' as const, cdevent: entry.cdevent };
    const streamId = cdeventStreamId(identityHash(entry.cdevent.source, entry.cdevent.id));
    const decided = cdeventRecordDecider.decide(command, cdeventRecordDecider.initialState());
    const events: NewEvent[] = decided.map((e) => ({ eventId: this.ids.next(), type: e.type, data: e.data, metadata: entry.metadata }));
    return { command, streamId, events };
  }
}
