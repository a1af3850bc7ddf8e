import fc from 'fast-check';
import { CATALOG } from '#cdevents';
import type { FieldSpec, ObjectSpec } from '../../libs/cdevents/src/schema/schema-dsl.js';
import { MAX_IDENTIFIER_BYTES } from '#kernel';

/**
 * Property-based CDEvents for the poison corpus, derived from the project's own event tables
 * (libs/cdevents), so it needs no external schema: a valid event of any supported type, then a
 * few of its values (or member names) replaced with boundary cases.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ASCII_ID = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/);

/** A valid value of one spec; optional members come and go. */
function valid(spec: FieldSpec): fc.Arbitrary<Json> {
  switch (spec.kind) {
    case 'string':
      if (spec.enum) return fc.constantFrom(...spec.enum);
      if (spec.format === 'uri') return ASCII_ID.map((s) => `https://ci.example.com/${s}`);
      if (spec.format === 'uri-reference') return ASCII_ID.map((s) => `/faults/${s}`);
      if (spec.format === 'date-time')
        return fc
          .date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (spec.pattern) return fc.constant('dev.cdeventsx.faults-probe.happened.0.1.0');
      return spec.minLength === 1 ? ASCII_ID : fc.oneof(ASCII_ID, fc.constant(''));
    case 'object':
      return objectOf(spec);
    case 'array':
      return fc.array(valid(spec.items), { maxLength: 2 });
    case 'map':
      return fc.dictionary(ASCII_ID, fc.oneof(ASCII_ID, fc.integer()), { maxKeys: 3 });
    case 'objectOrString':
      return fc.oneof(fc.dictionary(ASCII_ID, ASCII_ID, { maxKeys: 2 }), ASCII_ID);
    case 'tagged':
      return fc.oneof(...Object.values(spec.variants).map(objectOf));
  }
}

function objectOf(spec: ObjectSpec): fc.Arbitrary<{ [key: string]: Json }> {
  const members = Object.entries(spec.props);
  const required = members.filter(([, p]) => p.required).map(([k]) => k);
  return fc.record(Object.fromEntries(members.map(([k, p]) => [k, valid(p.spec)])), { requiredKeys: required });
}

const SOURCE = fc.oneof(
  ASCII_ID.map((s) => `/faults/${s}`),
  ASCII_ID.map((s) => `https://ci.example.com/${s}`),
);

/** A valid CDEvents 0.5.1 event of one supported type, with a fresh identity. */
export const validCdEvent: fc.Arbitrary<{ [key: string]: Json }> = fc.constantFrom(...CATALOG).chain((entry) =>
  fc.record({
    context: fc.record({
      specversion: fc.constant('0.5.1'),
      id: fc.uuid(),
      source: SOURCE,
      type: fc.constant(entry.type),
      timestamp: valid({ kind: 'string', minLength: 0, format: 'date-time' }),
    }),
    subject: fc.record({ id: ASCII_ID, content: objectOf(entry.def.content) }),
  }),
);

const exactly = (bytes: number, unit = 'a') => unit.repeat(Math.floor(bytes / Buffer.byteLength(unit)));
/** Deep nesting stays a marker until the body is written: fast-check walks its values recursively. */
export const deep = (depth: number): Json => `<<nested ${depth}>>`;
const NESTED_MARKER = /"<<nested (\d+)>>"/g;
const nested = (depth: number) => '{"x":['.repeat(Math.ceil(depth / 2)) + '"deep"' + ']}'.repeat(Math.ceil(depth / 2));

/** Boundary values: what a reader might not store, or what is valid only just. */
export const poisonValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\u0001', '\u001f', '\u007f', '\u0085', '\u2028', '\ufeff', '\uffff'),
  fc.constantFrom('\ud800', 'x\udfff', '\udc00\ud800', '\ud83d'),
  fc.constantFrom(exactly(MAX_IDENTIFIER_BYTES), exactly(MAX_IDENTIFIER_BYTES + 1), exactly(MAX_IDENTIFIER_BYTES, '€') + 'aa'),
  fc.constantFrom(exactly(MAX_IDENTIFIER_BYTES, '😀'), 'x'.repeat(10_000), 'y'.repeat(200_000)),
  fc.constantFrom(
    '1970-01-01T00:00:00Z',
    '1969-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.9999Z',
    '10000-01-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2024-02-30T00:00:00Z',
    '2016-12-31T23:59:60Z',
    '2024-01-01T00:00:00+23:59',
    '1970-01-01T00:00:00-00:01',
  ),
  fc.constantFrom(0, -0, 1, -1, Number.MAX_SAFE_INTEGER + 2, Number.MIN_SAFE_INTEGER - 2, Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324),
  fc.constantFrom(null, true, false, [], {}, [null], { '': '' }),
  fc.integer({ min: 2, max: 2000 }).map(deep),
);

/** Values valid just at the edge of what is accepted: they must go through to every reader. */
const acceptedEdge: fc.Arbitrary<Json> = fc.constantFrom(
  exactly(MAX_IDENTIFIER_BYTES),
  exactly(MAX_IDENTIFIER_BYTES - 1, '€') + 'a',
  exactly(MAX_IDENTIFIER_BYTES, '😀'),
  '\u0001\u001f\u007f\u2028\ufeff',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59.999+00:00',
);

/** A JSON path into the event: one of its members, or a member added under an object. */
type Path = readonly (string | number)[];

/** Paths into the event, not into the deep values a previous mutation put there. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object' || prefix.length >= 8) return [prefix];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...children.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function replaced(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, Json>;
  copy[head!] = replaced(copy[head!]!, rest, value);
  return copy;
}

function renamed(root: Json, path: Path, name: string): Json {
  const parent = path.slice(0, -1);
  const key = path[path.length - 1];
  const holder = parent.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, root);
  if (typeof key !== 'string' || holder === null || typeof holder !== 'object' || Array.isArray(holder)) return root;
  const entries = Object.entries(holder).map(([k, v]) => [k === key ? name : k, v] as const);
  return replaced(root, parent, Object.fromEntries(entries));
}

const POISON_NAMES = ['\u0000', 'a\u0000', '\ud800', '', '__proto__', 'constructor', 'x'.repeat(2000)];

/** One mutation: a value replaced, a member renamed, or an unknown member added. */
const mutation = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('value' as const), pick: fc.nat(), value: poisonValue }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('value' as const), pick: fc.nat(), value: acceptedEdge }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('name' as const), pick: fc.nat(), name: fc.constantFrom(...POISON_NAMES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown' as const), pick: fc.nat(), value: poisonValue }) },
);

/** A valid event with one to three mutations applied. */
const poisonCdEvent: fc.Arbitrary<Json> = fc
  .tuple(validCdEvent, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([event, mutations]) =>
    mutations.reduce<Json>((current, m) => {
      const paths = pathsOf(current);
      const path = paths[m.pick % paths.length]!;
      if (m.kind === 'value') return replaced(current, path, m.value);
      if (m.kind === 'name') return path.length === 0 ? current : renamed(current, path, m.name);
      const objects = paths.filter((p) => {
        const v = p.reduce<Json>((x, k) => (x as Record<string | number, Json>)[k]!, current);
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      });
      if (objects.length === 0) return current; // the whole event was replaced by a scalar
      return replaced(current, [...objects[m.pick % objects.length]!, `unknown${m.pick % 7}`], m.value);
    }, event),
  );

/** The JSON body of a poisoned CDEvent (lone surrogates written as JSON escapes, as JSON.stringify does). */
export const poisonCdEventBody: fc.Arbitrary<string> = poisonCdEvent.map((event) =>
  JSON.stringify(event).replace(NESTED_MARKER, (_, depth: string) => nested(Number(depth))),
);
