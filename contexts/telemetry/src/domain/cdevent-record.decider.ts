import type { Decider, DomainEvent } from '#kernel';
import { Conflict } from '#kernel';

/** How the CDEvent reached us (CloudEvents HTTP binding mode, or a bare CDEvent). */
export type IngestBinding = 'binary' | 'structured' | 'batch' | 'bare';

/** One CDEvent as received, identified by its `context.source` + `context.id`. */
export type CdEventRecordedData = {
  readonly project: string;
  readonly source: string;
  readonly id: string;
  /** `context.timestamp` as sent: when it happened, per the producer. */
  readonly timestamp: string;
  /** CDEvents 0.5.1 type string (the normalised one for 0.4.x input). */
  readonly type: string;
  /** `context.type` as sent. */
  readonly rawType: string;
  readonly specVersion: string;
  /** False when accepted without validation (an unknown type or version, by configuration). */
  readonly validated: boolean;
  readonly binding: IngestBinding;
  /** SHA-256 of the RFC 8785 canonical JSON of the CDEvent as sent; equal content, equal fingerprint. */
  readonly fingerprint: string;
  /** The CDEvent's bytes exactly as sent (UTF-8 text). */
  readonly raw: string;
  /**
   * JSON of the event in the CDEvents 0.5.1 model when normalising changed it (0.4.x input);
   * null when `raw` already is that model (0.5.x input, or accepted unvalidated).
   */
  readonly normalized: string | null;
  /** Lossy steps of 0.4.x normalisation, one per line; '' when none. */
  readonly normalizationNotes: string;
};

export interface RecordCdEvent {
  readonly type: 'RecordCdEvent';
  readonly cdevent: CdEventRecordedData;
}

export type CdEventRecorded = DomainEvent<'CdEventRecorded', CdEventRecordedData>;
export type CdEventRecordEvent = CdEventRecorded;

export type CdEventRecordState =
  { readonly status: 'None' } | { readonly status: 'Recorded'; readonly project: string; readonly fingerprint: string };

/** One stream per CDEvent identity; the caller hashes source + id into `identityHash`. */
export const cdeventStreamId = (identityHash: string) => `cdevent-${identityHash}`;

/**
 * A CDEvent identity is recorded once. The same content again (a retry) decides nothing, so the
 * caller answers as for the first time; other content, or another project, under the same
 * identity is a conflict: identities must not be reused.
 */
function recordCdEvent(command: RecordCdEvent, state: CdEventRecordState): CdEventRecordEvent[] {
  const data = command.cdevent;
  if (state.status === 'None') return [{ type: 'CdEventRecorded', data }];
  if (state.fingerprint === data.fingerprint && state.project === data.project) return [];
  throw new Conflict(
    `a different CDEvent with source "${data.source}" and id "${data.id}" is already recorded; CDEvent ids must be unique per source`,
  );
}

export const cdeventRecordDecider: Decider<RecordCdEvent, CdEventRecordEvent, CdEventRecordState> = {
  initialState: () => ({ status: 'None' }),
  decide(command, state) {
    switch (command.type) {
      case 'RecordCdEvent':
        return recordCdEvent(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'CdEventRecorded':
        return state.status === 'None' ? { status: 'Recorded', project: event.data.project, fingerprint: event.data.fingerprint } : state;
      default: {
        // The compiler's check that every event type has its case (on `type`: a single event type is
        // no union to narrow); at run time an unknown type changes nothing.
        const _unhandled: never = event.type;
        return state;
      }
    }
  },
};
