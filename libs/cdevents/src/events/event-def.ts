import type { ObjectSpec } from '../schema/schema-dsl.js';

/** `subject.type` values of CDEvents 0.4 (dropped from the payload in 0.5). */
export const SUBJECT_TYPES = [
  'pipelineRun',
  'taskRun',
  'repository',
  'branch',
  'change',
  'build',
  'artifact',
  'testCaseRun',
  'testSuiteRun',
  'testOutput',
  'environment',
  'service',
  'incident',
  'ticket',
] as const;

export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** How an event's CDEvents 0.4.x form differs from its 0.5.1 form, beyond context and subject.type. */
export interface V04Differences {
  /** Content members spelled `url` in 0.4 and `uri` since 0.5, as dotted paths below `content`. */
  readonly urlRenamed?: readonly string[];
  /** 0.4 `outcome`: free text (pipelineRun) or `pass`/`fail`/`cancel`/`error` (test runs). */
  readonly outcome?: 'free-text' | 'pass-fail';
}

export interface EventDef<C extends ObjectSpec = ObjectSpec> {
  readonly subject: SubjectType;
  readonly predicate: string;
  /** Version of the event type in CDEvents 0.5.1; in 0.4.x it is one minor lower. */
  readonly version: string;
  readonly content: C;
  /** Testing events: `context.source` has no URI format and `subject.source` is free text. */
  readonly looseSources?: boolean;
  /** ticket.closed 0.2.0 still declares an optional `subject.type` (`ticket`). */
  readonly optionalSubjectType?: boolean;
  readonly v04?: V04Differences;
}

/** Identity function that keeps the literal keys and specs for type inference. */
export const defineEvents = <const M extends Readonly<Record<string, EventDef>>>(events: M): M => events;
