import {
  anyObject,
  arrayOf,
  dateTime,
  enumOf,
  matching,
  nonEmpty,
  nonEmptyUri,
  object,
  objectOrString,
  openObject,
  opt,
  req,
  tagged,
  text,
  uriRef,
  type ObjectSpec,
  type PropSpec,
  type StringSpec,
} from '../schema/schema-dsl.js';
import type { EventDef } from './event-def.js';

/** Which rule set an event was checked against. */
export type SpecRules = '0.5.1' | '0.4.x';

// Embedded links (context.links). `from`/`target` are open objects in the schema, and a
// RELATION's `target.contextId` is optional there (unlike PATH/END `from.contextId`).
const contextRef = openObject({ contextId: req(nonEmpty) });
const optionalContextRef = openObject({ contextId: opt(nonEmpty) });

export const embeddedLink = tagged('linkType', {
  END: object({ linkType: req(enumOf(['END'])), from: opt(contextRef), tags: opt(anyObject) }),
  PATH: object({ linkType: req(enumOf(['PATH'])), from: req(contextRef), tags: opt(anyObject) }),
  RELATION: object({
    linkType: req(enumOf(['RELATION'])),
    linkKind: req(nonEmpty),
    target: req(optionalContextRef),
    tags: opt(anyObject),
  }),
});

/** `dev.cdeventsx.<tool>-<subject>.<predicate>.<major>.<minor>.<patch>`, single-digit version parts as in the schema. */
export const CUSTOM_TYPE_PATTERN = /^dev\.cdeventsx\.[a-zA-Z0-9]+-[a-zA-Z]+\.[a-zA-Z]+\.[0-9]\.[0-9]\.[0-9]$/;

const customType = matching(CUSTOM_TYPE_PATTERN, 'dev.cdeventsx.<tool>-<subject>.<predicate>.<major>.<minor>.<patch>');

function contextSpec(rules: SpecRules, type: StringSpec, looseSource: boolean): ObjectSpec {
  const versionKey = rules === '0.5.1' ? 'specversion' : 'version';
  return object({
    [versionKey]: req(nonEmpty),
    id: req(nonEmpty),
    source: req(looseSource ? nonEmpty : uriRef),
    type: req(type),
    timestamp: req(dateTime),
    schemaUri: opt(nonEmptyUri),
    chainId: opt(nonEmpty),
    links: opt(arrayOf(embeddedLink)),
  });
}

function eventSpec(context: ObjectSpec, subject: ObjectSpec): ObjectSpec {
  return object({
    context: req(context),
    subject: req(subject),
    customData: opt(objectOrString),
    customDataContentType: opt(text),
  });
}

/** Full schema of one event type under one rule set; `content` is already in that rule set's shape. */
export function eventTypeSpec(type: string, def: EventDef, rules: SpecRules, content: ObjectSpec): ObjectSpec {
  const subjectType = enumOf([def.subject]);
  let typeProp: Record<string, PropSpec> = {};
  if (rules === '0.4.x') typeProp = { type: req(subjectType) };
  else if (def.optionalSubjectType) typeProp = { type: opt({ ...subjectType, minLength: 1 }) };
  const subject = object({
    id: req(nonEmpty),
    source: opt(def.looseSources ? text : uriRef),
    ...typeProp,
    content: req(content),
  });
  return eventSpec(contextSpec(rules, enumOf([type]), def.looseSources === true), subject);
}

/** Schema of custom (`dev.cdeventsx`) events: open content; 0.4.x producers may add `subject.type`. */
export function customEventSpec(rules: SpecRules): ObjectSpec {
  const subject = object({
    id: req(nonEmpty),
    source: opt(uriRef),
    ...(rules === '0.4.x' ? { type: opt(nonEmpty) } : {}),
    content: req(anyObject),
  });
  return eventSpec(contextSpec(rules, customType, false), subject);
}

/** The little that `acceptUnknown` still insists on: an identifiable, dated event. */
export const basicEventSpec: ObjectSpec = openObject({
  context: req(openObject({ id: req(nonEmpty), source: req(uriRef), type: req(nonEmpty), timestamp: req(dateTime) })),
});
