import type { Infer } from '../schema/schema-dsl.js';
import type { CDEVENT_DEFS, CdEventType } from './event-catalog.js';
import type { embeddedLink } from './envelope.schema.js';

export type EmbeddedLink = Infer<typeof embeddedLink>;

export interface CdEventContext<T extends string = string> {
  specversion: string;
  id: string;
  source: string;
  type: T;
  timestamp: string;
  schemaUri?: string;
  chainId?: string;
  links?: EmbeddedLink[];
}

export interface CdEventSubject<C = Record<string, unknown>> {
  id: string;
  source?: string;
  content: C;
}

/** A CDEvent in the 0.5.1 model. */
export interface CdEvent<T extends string = string, C = Record<string, unknown>> {
  context: CdEventContext<T>;
  subject: CdEventSubject<C>;
  /** A JSON object, or a base64 string when `customDataContentType` is not JSON. */
  customData?: Record<string, unknown> | string;
  customDataContentType?: string;
}

/** `subject.content` of one event type, inferred from the validator's own table. */
export type ContentOf<T extends CdEventType> = Infer<(typeof CDEVENT_DEFS)[T]['content']>;

export type CdEventOf<T extends CdEventType> = CdEvent<T, ContentOf<T>>;

/** Union of all 45 typed CDEvents 0.5.1 events, discriminated by `context.type`. */
export type AnyCdEvent = { [T in CdEventType]: CdEventOf<T> }[CdEventType];

export type CustomCdEventType = `dev.cdeventsx.${string}`;

export type CustomCdEvent<T extends CustomCdEventType = CustomCdEventType> = CdEvent<T, Record<string, unknown>>;
