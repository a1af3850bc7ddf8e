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

/** Taken identities set aside before the rest of a multi-stream append is tried one by one. */
const MAX_SET_ASIDE = 8;

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
   * Records entries of distinct identities, and the `alongside` appends (the access decisions that
   * allowed them) exactly once each. Where the store can append to many streams at once, all new
   * identities and `alongside` are committed together (one commit for a batch or a single event).
   * An identity already taken makes that attempt store nothing; it is set aside (the refusal names
   * its stream) and the rest tried again, so one retried event among many new ones does not send
   * them all one by one. What is set aside, or left when the store cannot append many, is judged
   * on its own, after `alongside` has been appended alone.
   */
  async recordAll(entries: readonly ToRecord[], concurrency: number, alongside: readonly StreamAppend[] = []): Promise<RecordOutcome[]> {
    const outcomes = new Array<RecordOutcome | undefined>(entries.length);
    const planned = entries.map((e) => this.plan(e));
    let together = planned.map((_, i) => i);
    let extra = [...alongside];
    for (let setAside = 0; this.store.appendMany && together.length + extra.length > 1 && setAside <= MAX_SET_ASIDE; setAside++) {
      try {
        const appended = await this.store.appendMany([
          ...extra,
          ...together.map((i) => ({ streamId: planned[i]!.streamId, events: planned[i]!.events, expectedVersion: 'no_stream' as const })),
        ]);
        together.forEach((i, k) => {
          const a = appended[extra.length + k]!;
          outcomes[i] = { outcome: 'recorded', position: a.events[0]!.position, cursor: a.lastCursor };
        });
        together = [];
        extra = [];
        break;
      } catch (error) {
        const taken = error instanceof WrongExpectedVersion ? together.findIndex((i) => planned[i]!.streamId === error.streamId) : -1;
        if (taken >= 0) {
          together.splice(taken, 1);
          continue;
        }
        if (!(error instanceof WrongExpectedVersion) && (error as { code?: string }).code !== DEADLOCK) throw error;
        break;
      }
    }
    for (const a of extra) await this.store.append(a.streamId, a.events, a.expectedVersion);
    const alone = planned.map((_, i) => i).filter((i) => outcomes[i] === undefined);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, alone.length) }, async () => {
        while (next < alone.length) {
          const i = alone[next++]!;
          outcomes[i] = await this.record(entries[i]!).catch((error: unknown) => {
            if (error instanceof Conflict && !(error instanceof WrongExpectedVersion)) return error;
            throw error;
          });
        }
      }),
    );
    return outcomes as RecordOutcome[];
  }

  /** The stream an entry is recorded in: one per CDEvent identity. */
  streamIdOf(entry: ToRecord): string {
    return cdeventStreamId(identityHash(entry.cdevent.source, entry.cdevent.id));
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
    const streamId = this.streamIdOf(entry);
    const decided = cdeventRecordDecider.decide(command, cdeventRecordDecider.initialState());
    const events: NewEvent[] = decided.map((e) => ({ eventId: this.ids.next(), type: e.type, data: e.data, metadata: entry.metadata }));
    return { command, streamId, events };
  }
}
