import { enumOf, text, type ObjectSpec, type PropSpec } from '../schema/schema-dsl.js';
import { cdEvents } from './cd.events.js';
import { ciEvents } from './ci.events.js';
import { coreEvents } from './core.events.js';
import type { EventDef } from './event-def.js';
import { opsEvents } from './ops.events.js';
import { scmEvents } from './scm.events.js';
import { testingEvents } from './testing.events.js';

/** Every CDEvents 0.5.1 event type, keyed by its `context.type`. */
export const CDEVENT_DEFS = {
  ...coreEvents,
  ...scmEvents,
  ...ciEvents,
  ...testingEvents,
  ...cdEvents,
  ...opsEvents,
} as const;

export type CdEventType = keyof typeof CDEVENT_DEFS;

export const CDEVENT_TYPES = Object.keys(CDEVENT_DEFS) as CdEventType[];

/** The CDEvents release this library models, written into normalised events. */
export const SPEC_VERSION = '0.5.1';

/** Test-run outcomes as CDEvents 0.4.x spelled them. */
export const V04_TEST_OUTCOMES = ['pass', 'fail', 'cancel', 'error'] as const;

export interface CatalogEntry {
  /** The 0.5.1 `context.type`. */
  readonly type: CdEventType;
  /** The 0.4.x `context.type` of the same event. */
  readonly v04Type: string;
  /** `<subject>.<predicate>` as in the type string, e.g. `pipelinerun.started`. */
  readonly name: string;
  readonly def: EventDef;
  /** Content schema in the 0.4.x shape. */
  readonly v04Content: ObjectSpec;
}

/** 0.4.x numbered every event type one minor version lower than 0.5.1 does. */
export function previousMinor(version: string): string {
  const [major, minor, patch] = version.split('.').map(Number);
  if (major === undefined || minor === undefined || patch === undefined || minor < 1) {
    throw new Error(`cannot derive the previous minor of ${version}`);
  }
  return `${major}.${minor - 1}.${patch}`;
}

function renamePath(spec: ObjectSpec, path: readonly string[], to: string): ObjectSpec {
  const [head, ...rest] = path;
  const props: Record<string, PropSpec> = {};
  for (const [name, prop] of Object.entries(spec.props)) {
    if (name !== head) props[name] = prop;
    else if (rest.length === 0) props[to] = prop;
    else {
      if (prop.spec.kind !== 'object') throw new Error(`cannot rename below non-object ${name}`);
      props[name] = { ...prop, spec: renamePath(prop.spec, rest, to) };
    }
  }
  if (head === undefined || !(head in spec.props)) throw new Error(`no member ${path.join('.')} to rename`);
  return { ...spec, props };
}

/** Derives the 0.4.x content schema from the 0.5.1 one and the recorded differences. */
function v04ContentOf(def: EventDef): ObjectSpec {
  let content = def.content;
  for (const path of def.v04?.urlRenamed ?? []) {
    const parts = path.split('.');
    content = renamePath(content, parts, 'url');
  }
  const outcome = def.v04?.outcome;
  const current = content.props['outcome'];
  if (outcome !== undefined && current !== undefined) {
    const spec = outcome === 'free-text' ? text : enumOf(V04_TEST_OUTCOMES);
    content = { ...content, props: { ...content.props, outcome: { ...current, spec } } };
  }
  return content;
}

export const CATALOG: readonly CatalogEntry[] = CDEVENT_TYPES.map((type) => {
  const def: EventDef = CDEVENT_DEFS[type];
  const name = `${def.subject.toLowerCase()}.${def.predicate}`;
  if (type !== `dev.cdevents.${name}.${def.version}`) throw new Error(`catalog key ${type} does not match its definition`);
  return { type, v04Type: `dev.cdevents.${name}.${previousMinor(def.version)}`, name, def, v04Content: v04ContentOf(def) };
});

const BY_NAME = new Map(CATALOG.map((e) => [e.name, e]));

/** Supported versions of `<subject>.<predicate>` (e.g. `pipelinerun.started`), newest first. */
export function supportedVersionsOf(name: string): { version: string; spec: string }[] | undefined {
  const entry = BY_NAME.get(name);
  if (entry === undefined) return undefined;
  return [
    { version: entry.def.version, spec: `CDEvents ${SPEC_VERSION}` },
    { version: previousMinor(entry.def.version), spec: 'CDEvents 0.4.x' },
  ];
}
