import type { FieldError } from '#kernel';
import { exceedsBytes, identifierLengthMessage, instantProblem, MAX_IDENTIFIER_BYTES } from '#kernel';
import type { FieldSpec, ObjectSpec, StringSpec, TaggedSpec } from '../schema/schema-dsl.js';
import { isRfc3339DateTime } from '../schema/date-time.format.js';
import { isUri, isUriReference } from '../schema/uri.format.js';
import { appendPointer, isJsonObject, jsonTypeOf } from './json-pointer.js';

/**
 * Checks one value, pushing every violation found (never stopping at the first). The node's
 * pointer is `base` + a suffix fixed at compile time; `base` only changes at array items, so the
 * happy path builds no pointer strings at all.
 */
export type Check = (value: unknown, base: string, errors: FieldError[]) => void;

const FORMATS = {
  uri: { test: isUri, message: 'must be an absolute URI (RFC 3986), e.g. https://example.com/x' },
  'uri-reference': { test: isUriReference, message: 'must be a URI reference (RFC 3986), e.g. /path or https://example.com/x' },
  'date-time': {
    test: isRfc3339DateTime,
    message: 'must be an RFC 3339 date-time with a time-zone offset, e.g. 2024-05-01T12:00:00Z',
  },
} as const;

const typeError = (pointer: string, expected: string, value: unknown): FieldError => ({
  pointer,
  message: `must be ${expected} (got ${jsonTypeOf(value)})`,
});

/**
 * Members holding identifiers, wherever they appear (context, subject, links, subject references
 * in content): read models key and index them, so they are bounded (MAX_IDENTIFIER_BYTES).
 * Free text (names, descriptions, signatures, outcomes) is only bounded by the body size.
 */
const IDENTIFIER_MEMBERS: ReadonlySet<string> = new Set([
  'id',
  'source',
  'type',
  'contextId',
  'chainId',
  'artifactId',
  'specversion',
  'version',
  'schemaUri',
  'linkKind',
]);
const IDENTIFIER_MESSAGE = identifierLengthMessage(MAX_IDENTIFIER_BYTES);

function compileString(spec: StringSpec, suffix: string, identifier: boolean): Check {
  const allowed = spec.enum ? new Set(spec.enum) : undefined;
  const enumMessage = spec.enum ? `must be one of: ${spec.enum.join(', ')}` : '';
  const format = spec.format ? FORMATS[spec.format] : undefined;
  const instant = spec.format === 'date-time';
  const { minLength, pattern, patternHint } = spec;
  return (value, base, errors) => {
    if (typeof value !== 'string') {
      errors.push(typeError(base + suffix, 'a string', value));
      return;
    }
    if (minLength > 0 && value.length === 0) {
      errors.push({ pointer: base + suffix, message: 'must not be empty' });
      return;
    }
    // Before the other checks, which need not run over a megabyte of identifier.
    if (identifier && exceedsBytes(value, MAX_IDENTIFIER_BYTES)) {
      errors.push({ pointer: base + suffix, message: IDENTIFIER_MESSAGE });
      return;
    }
    if (allowed !== undefined && !allowed.has(value)) errors.push({ pointer: base + suffix, message: enumMessage });
    if (pattern !== undefined && !pattern.test(value)) {
      errors.push({ pointer: base + suffix, message: `must match ${patternHint ?? String(pattern)}` });
    }
    if (format !== undefined && !format.test(value)) errors.push({ pointer: base + suffix, message: format.message });
    else if (instant) {
      const problem = instantProblem(value);
      if (problem !== undefined) errors.push({ pointer: base + suffix, message: problem });
    }
  };
}

interface Member {
  readonly suffix: string;
  readonly required: boolean;
  readonly check: Check;
}

function compileObject(spec: ObjectSpec, suffix: string): Check {
  const members = new Map<string, Member>();
  for (const [name, prop] of Object.entries(spec.props)) {
    const childSuffix = appendPointer(suffix, name);
    members.set(name, {
      suffix: childSuffix,
      required: prop.required,
      check: compileSpec(prop.spec, childSuffix, IDENTIFIER_MEMBERS.has(name)),
    });
  }
  const required = [...members].filter(([, m]) => m.required);
  const closed = spec.closed;
  return (value, base, errors) => {
    if (!isJsonObject(value)) {
      errors.push(typeError(base + suffix, 'an object', value));
      return;
    }
    // One pass over the members present (cheap for V8), rather than a lookup per declared name.
    let requiredSeen = 0;
    for (const key in value) {
      const v = value[key];
      if (v === undefined) continue; // absent once serialised
      const m = members.get(key);
      if (m !== undefined) {
        if (m.required) requiredSeen++;
        m.check(v, base, errors);
      } else if (closed) {
        errors.push({ pointer: base + appendPointer(suffix, key), message: 'is not allowed here (unknown field)' });
      }
    }
    if (requiredSeen < required.length) {
      for (const [name, m] of required) {
        if (value[name] === undefined) errors.push({ pointer: base + m.suffix, message: 'is required' });
      }
    }
  };
}

function compileTagged(spec: TaggedSpec, suffix: string): Check {
  const variants = new Map(Object.entries(spec.variants).map(([tag, variant]) => [tag, compileObject(variant, suffix)]));
  const tagNames = [...variants.keys()].join(', ');
  const tagKey = spec.tag;
  const tagSuffix = appendPointer(suffix, tagKey);
  return (value, base, errors) => {
    if (!isJsonObject(value)) {
      errors.push(typeError(base + suffix, 'an object', value));
      return;
    }
    const tag = value[tagKey];
    const check = typeof tag === 'string' ? variants.get(tag) : undefined;
    if (check === undefined) {
      errors.push({ pointer: base + tagSuffix, message: tag === undefined ? 'is required' : `must be one of: ${tagNames}` });
      return;
    }
    check(value, base, errors);
  };
}

/** Compiles a spec into a check for the node at `suffix` below the caller's base pointer. */
export function compileSpec(spec: FieldSpec, suffix = '', identifier = false): Check {
  switch (spec.kind) {
    case 'string':
      return compileString(spec, suffix, identifier);
    case 'object':
      return compileObject(spec, suffix);
    case 'tagged':
      return compileTagged(spec, suffix);
    case 'array': {
      const item = compileSpec(spec.items, '');
      return (value, base, errors) => {
        if (!Array.isArray(value)) {
          errors.push(typeError(base + suffix, 'an array', value));
          return;
        }
        for (let i = 0; i < value.length; i++) item(value[i], `${base}${suffix}/${i}`, errors);
      };
    }
    case 'map':
      return (value, base, errors) => {
        if (!isJsonObject(value)) errors.push(typeError(base + suffix, 'an object', value));
      };
    case 'objectOrString':
      return (value, base, errors) => {
        if (typeof value !== 'string' && !isJsonObject(value)) errors.push(typeError(base + suffix, 'an object or a base64 string', value));
      };
  }
}
