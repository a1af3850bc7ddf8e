import type { DomainEvent, RecordedEvent } from '#kernel';
import type { ContextName, IntegrationEvent } from '#contracts';
import { dlqTopic, TOPICS } from '#contracts';

/**
 * A recorded event of one of the types of `E`, as a union by type, so a `switch` on `type`
 * narrows `data` (`RecordedEvent<A | B>` would not).
 */
export type RecordedOf<E extends DomainEvent> = E extends DomainEvent ? RecordedEvent<E> : never;

/**
 * What one context publishes, declared in the context beside its domain events
 * (`contexts/<context>/src/<context>.integration-events.ts`): the domain event types it maps and
 * how. `E` is the union of those domain events, so a renamed field breaks the compile.
 */
export interface IntegrationEventDeclaration<E extends DomainEvent = DomainEvent> {
  /** The context that writes these events (their `metadata.context`); events of other contexts are not offered. */
  readonly context: ContextName;
  /** The domain event types `map` takes; the relay reads the bodies of these types only. */
  readonly eventTypes: readonly E['type'][];
  /**
   * Called only with an event of `context` whose type is one of `eventTypes`; null keeps that
   * event internal. Throws when the event lacks a field of its contract (the relay then stops
   * there and reports it). Method syntax on purpose: the registry holds declarations of
   * different event unions, and only ever calls each with the types it declared.
   */
  map(event: RecordedOf<E>): IntegrationEvent | null;
}

/**
 * Every context's declaration, by domain event type: what the relay publishes. Building it from
 * two declarations that map the same type throws, so such an app fails at startup.
 */
export class IntegrationEventRegistry {
  private readonly byType = new Map<string, IntegrationEventDeclaration>();
  /** The contexts declared, in the order given. */
  readonly contexts: readonly ContextName[];

  constructor(declarations: readonly IntegrationEventDeclaration[]) {
    for (const declaration of declarations) {
      for (const type of declaration.eventTypes) {
        const other = this.byType.get(type);
        if (other) {
          throw new Error(
            `integration events: domain event type "${type}" is mapped twice, by the declarations of ${other.context} and ${declaration.context}; one event type has one mapper`,
          );
        }
        this.byType.set(type, declaration);
      }
    }
    this.contexts = [...new Set(declarations.map((d) => d.context))];
  }

  /** The domain event types some declaration maps (for `onlyDataOf`). */
  get eventTypes(): readonly string[] {
    return [...this.byType.keys()];
  }

  /** The topics the declared contexts publish to, and their dead-letter topics. */
  get topics(): readonly string[] {
    const topics = this.contexts.map((context) => TOPICS[context]);
    return [...topics, ...topics.map(dlqTopic)];
  }

  /** The integration event of `event`, or null when no declaration takes it. */
  map(event: RecordedEvent): IntegrationEvent | null {
    const declaration = this.byType.get(event.type);
    if (!declaration || event.metadata.context !== declaration.context) return null;
    return declaration.map(event);
  }
}

/**
 * The envelope of the integration event published for `event`: its id (consumers dedupe by it),
 * the stream id as subject (and Kafka key), the time it occurred, and the context's topic.
 */
export function integrationEnvelope<Type extends string>(
  event: RecordedEvent,
  context: ContextName,
  type: Type,
): Omit<IntegrationEvent<Type>, 'data'> {
  return {
    id: event.eventId,
    type,
    source: `/compliance-ledger/${context}`,
    subject: event.streamId,
    time: event.metadata.occurredAt,
    topic: TOPICS[context],
    ...(event.metadata.project ? { project: event.metadata.project } : {}),
  };
}

/** The keys of `D` whose values are of type `V`. */
type KeysOf<D, V> = { [K in keyof D]-?: D[K] extends V ? K : never }[keyof D] & string;

/**
 * Checked reads of a domain event's fields for its integration event, by names the compiler
 * knows from the event's type. The store's JSON is not checked by the compiler, so a missing
 * field is a broken contract: it throws (the relay then stops at this event and reports it)
 * rather than publish an incomplete event.
 */
export function contractFields<E extends DomainEvent>(event: RecordedEvent<E>) {
  const data = event.data as Record<string, unknown>;
  const broken = (name: string) =>
    new TypeError(`${event.type} ${event.eventId} has no string field "${name}" for its v1 integration event`);
  return {
    text(name: KeysOf<E['data'], string>): string {
      const value = data[name];
      if (typeof value !== 'string') throw broken(name);
      return value;
    },
    optionalText(name: KeysOf<E['data'], string | null>): string | null {
      const value = data[name];
      if (value === null || value === undefined) return null;
      if (typeof value !== 'string') throw broken(name);
      return value;
    },
  };
}
