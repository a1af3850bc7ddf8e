import type { Cursor } from './cursor.js';
import type { NewEvent, RecordedEvent } from './events.js';

/**
 * Expected stream version for optimistic concurrency:
 * a number is the count of events the stream must hold (0 = must not exist),
 * 'no_stream' is the same as 0, 'any' skips the check.
 */
export type ExpectedVersion = number | 'any' | 'no_stream';

export interface AppendResult {
  /** Count of events in the stream after the append. */
  readonly nextVersion: number;
  /** The recorded events, in append order. */
  readonly events: readonly RecordedEvent[];
  /** Cursor of the last appended event; a subscriber past it has seen the append. */
  readonly lastCursor: Cursor;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion: ExpectedVersion;
}

export interface ReadAllOptions {
  readonly limit?: number;
  /**
   * A hint for readers that need only some event types: events of other types may come back
   * as stubs, in their place, with empty `data` and `metadata` (they still mark progress). An
   * adapter may ignore it and return every event whole.
   */
  readonly onlyDataOf?: readonly string[];
}

export interface EventStore {
  /** Appends atomically, or throws WrongExpectedVersion and appends nothing. */
  append(streamId: string, events: readonly NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult>;
  /**
   * Optional: appends to several distinct streams atomically (one commit), each at its own
   * expected version, or throws (WrongExpectedVersion naming a stream that failed) and appends
   * nothing. Results in the order given. Adapters without multi-stream atomicity leave it out.
   */
  appendMany?(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream in version order; empty when the stream does not exist. */
  readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]>;
  /**
   * The stream's version (the count of its events), or null when it does not exist: whether a
   * stream exists, without reading its events.
   */
  streamVersion(streamId: string): Promise<number | null>;
  /**
   * Committed events after the cursor, in commit order. Never returns an event while an
   * earlier-ordered transaction may still commit, so a reader that advances its cursor
   * past what it read can never skip one.
   */
  readAll(after: Cursor, options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Resolves when new events may be available (or after `timeoutMs`), so pollers need not spin. */
  waitForAppend(timeoutMs: number): Promise<void>;
  /** True when no event was ever appended (ignores the commit-order hold-back of readAll). */
  isEmpty(): Promise<boolean>;
  /** Cheap liveness probe of the underlying storage. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
