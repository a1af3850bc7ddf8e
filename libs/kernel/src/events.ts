/** An event as a decider produces it: a past-tense type and primitive-only data. */
export interface DomainEvent<Type extends string = string, Data extends object = Record<string, unknown>> {
  readonly type: Type;
  readonly data: Data;
}

/** Who and why, kept beside (never inside) the event data. */
export interface EventMetadata {
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly occurredAt: string;
  /** Project the event belongs to, when it belongs to one (drives read filtering and audit search). */
  readonly project?: string;
  /** Bounded context that wrote the event. */
  readonly context?: string;
  readonly [key: string]: unknown;
}

/** An event ready to append. */
export interface NewEvent<E extends DomainEvent = DomainEvent> {
  readonly eventId: string;
  readonly type: E['type'];
  readonly data: E['data'];
  readonly metadata: EventMetadata;
}

/** An event as the store holds it. */
export interface RecordedEvent<E extends DomainEvent = DomainEvent> {
  /** Store-wide sequence number (unique, increasing, not necessarily commit order). */
  readonly position: number;
  /** Opaque, totally ordered commit-order position; subscribers checkpoint on it (see cursor.ts). */
  readonly cursor: string;
  readonly eventId: string;
  readonly streamId: string;
  /** 1-based version of the event within its stream. */
  readonly streamVersion: number;
  readonly type: E['type'];
  readonly data: E['data'];
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
}
