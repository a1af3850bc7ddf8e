import { Invalid, systemClock, uuidGenerator, type Clock, type IdGenerator } from '#kernel';
import type { CdEvent, CdEventOf, ContentOf, CustomCdEvent, CustomCdEventType, EmbeddedLink } from '../events/cdevent.types.js';
import { SPEC_VERSION, type CdEventType } from '../events/event-catalog.js';
import { validateCdEvent } from '../validation/cdevent.validator.js';

export interface CdEventInput<C> {
  /** Defaults to a fresh UUID. */
  readonly id?: string;
  readonly source: string;
  /** Defaults to the clock's now; a Date is written as RFC 3339 UTC. */
  readonly timestamp?: string | Date;
  readonly chainId?: string;
  readonly schemaUri?: string;
  readonly links?: EmbeddedLink[];
  readonly subject: { readonly id: string; readonly source?: string; readonly content: C };
  readonly customData?: Record<string, unknown> | string;
  readonly customDataContentType?: string;
}

export interface BuildOptions {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** Validate the result and throw `Invalid` listing every problem (default true). */
  readonly validate?: boolean;
}

/** Copies the members whose value is defined, so no `undefined` reaches the JSON. */
function defined<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}

function build(type: string, input: CdEventInput<unknown>, options: BuildOptions): CdEvent {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidGenerator;
  const timestamp = input.timestamp ?? clock.now();
  const event = defined({
    context: defined({
      specversion: SPEC_VERSION,
      id: input.id ?? ids.next(),
      source: input.source,
      type,
      timestamp: typeof timestamp === 'string' ? timestamp : timestamp.toISOString(),
      schemaUri: input.schemaUri,
      chainId: input.chainId,
      links: input.links,
    }),
    subject: defined({ id: input.subject.id, source: input.subject.source, content: input.subject.content }),
    customData: input.customData,
    customDataContentType: input.customDataContentType,
  }) as unknown as CdEvent;
  if (options.validate !== false) {
    const result = validateCdEvent(event);
    if (!result.ok) throw new Invalid(`invalid ${type} event`, result.errors);
  }
  return event;
}

/**
 * Builds a CDEvents 0.5.1 event for producers, e.g.
 * `buildCdEvent('dev.cdevents.pipelinerun.started.0.3.0', {source, subject: {id, content: {pipelineName, uri}}})`.
 * The content type follows from the event type.
 */
export function buildCdEvent<T extends CdEventType>(type: T, input: CdEventInput<ContentOf<T>>, options: BuildOptions = {}): CdEventOf<T> {
  return build(type, input, options) as unknown as CdEventOf<T>;
}

/** Builds a custom `dev.cdeventsx.<tool>-<subject>.<predicate>.<version>` event with free-form content. */
export function buildCustomCdEvent<T extends CustomCdEventType>(
  type: T,
  input: CdEventInput<Record<string, unknown>>,
  options: BuildOptions = {},
): CustomCdEvent<T> {
  return build(type, input, options) as unknown as CustomCdEvent<T>;
}
