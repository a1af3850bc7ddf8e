import type { CommandExecutor, CommandOutcome, Cursor, DomainEvent, EventMetadata, StreamAppend, StreamCommand } from '#kernel';
import { Conflict, IllegalState } from '#kernel';
import type { CdEventRecordedData, CdEventRecordEvent, CdEventRecordState, RecordCdEvent } from '../domain/cdevent-record.decider.js';
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

/**
 * Records CDEvents, one stream per identity, through the write path (CommandExecutor.executeAll).
 * Optimistic: each command assumes its stream is new, which needs no read first; only when the
 * stream exists (a retry, or a concurrent duplicate that won the race) is it read and the decider
 * asked again whether the content matches (→ duplicate) or not (→ Conflict). The decider stays
 * the one place that judges.
 */
export class CdEventJournal {
  constructor(private readonly writes: Pick<CommandExecutor, 'executeAll'>) {}

  /**
   * Records entries of distinct identities, and the `alongside` appends (the access decisions that
   * allowed them) exactly once each: where the store can append to many streams at once, all new
   * identities and `alongside` in one commit; an identity found taken is set aside and the rest
   * committed without it (see CommandExecutor.executeAll). Outcomes in entry order.
   */
  async recordAll(entries: readonly ToRecord[], concurrency: number, alongside: readonly StreamAppend[] = []): Promise<RecordOutcome[]> {
    const commands = entries.map((entry) => this.command(entry));
    const outcomes = await this.writes.executeAll(commands, alongside, { concurrency });
    return outcomes.map((outcome, i) => entryOf(commands[i]!.streamId, outcome));
  }

  /** The stream an entry is recorded in: one per CDEvent identity. */
  streamIdOf(entry: ToRecord): string {
    return cdeventStreamId(identityHash(entry.cdevent.source, entry.cdevent.id));
  }

  private command(entry: ToRecord): StreamCommand<RecordCdEvent, CdEventRecordEvent, CdEventRecordState> {
    return {
      streamId: this.streamIdOf(entry),
      decider: cdeventRecordDecider,
      command: { type: 'RecordCdEvent', cdevent: entry.cdevent },
      metadata: entry.metadata,
      assume: 'new',
    };
  }
}

function entryOf(streamId: string, outcome: CommandOutcome<DomainEvent, unknown>): RecordOutcome {
  if (outcome instanceof Conflict) return outcome;
  if (outcome.append) return { outcome: 'recorded', position: outcome.append.events[0]!.position, cursor: outcome.append.lastCursor };
  const first = outcome.history[0];
  if (!first) throw new IllegalState(`stream ${streamId} exists but holds no recording`);
  return { outcome: 'duplicate', position: first.position, cursor: null };
}
