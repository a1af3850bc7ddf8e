import type { FieldError } from './errors.js';
import { appendPointer } from './json-pointer.js';

const MAX_REPORTED = 10;
/** Parsed JSON objects only: a Buffer or other class instance is not walked key by key. */
const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Cheap first test: a NUL or any surrogate; only a hit looks closer. */
// eslint-disable-next-line no-control-regex -- NUL is what it looks for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

export const NUL_MESSAGE = 'must not contain NUL (\\u0000): PostgreSQL text and jsonb cannot store it';
const LONE_SURROGATE_MESSAGE = 'is not well-formed Unicode (a lone surrogate escape such as \\ud800)';

/** Why no store can hold this string, or undefined. */
function problemOf(s: string): string | undefined {
  if (!SUSPECT.test(s)) return undefined;
  if (s.indexOf('\u0000') !== -1) return NUL_MESSAGE;
  return LONE_SURROGATE.test(s) ? LONE_SURROGATE_MESSAGE : undefined;
}

/**
 * Deepest nesting of arrays and objects accepted in JSON input. Canonicalisation (RFC 8785) and
 * every reader that walks a body recurse once per level, and a few thousand levels fit in well
 * under the body limit but overflow their stacks; no CI/CD event needs more than a handful.
 */
export const MAX_JSON_DEPTH = 64;

export const DEPTH_MESSAGE = `nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`;

/**
 * What nothing downstream can store faithfully: nesting deeper than MAX_JSON_DEPTH, and strings,
 * in values and member names alike:
 * - not well-formed Unicode: JSON text may spell a lone UTF-16 surrogate (`"\ud800"`), which no
 *   UTF-8 store, hash or signature can represent (PostgreSQL's jsonb refuses it, RFC 8785
 *   canonicalisation too), and I-JSON (RFC 7493) forbids it;
 * - holding NUL (`"\u0000"`): valid JSON and Unicode, but PostgreSQL text and jsonb refuse it, so
 *   a read model that copies the string into a column would stop at it.
 * Every JSON input is checked at the edge, in one walk. Reports at most ten,
 * each at its pointer under `base`.
 */
export function unstorableJson(value: unknown, base = ''): FieldError[] {
  const errors: FieldError[] = [];
  // The path is kept as tokens and joined into a pointer only for a string that fails.
  const path: (string | number)[] = [];
  const at = () => path.reduce<string>(appendPointer, base);
  const visit = (v: unknown): void => {
    if (errors.length >= MAX_REPORTED) return;
    if (path.length >= MAX_JSON_DEPTH && v !== null && typeof v === 'object') {
      errors.push({ pointer: at(), message: DEPTH_MESSAGE });
      return;
    }
    if (typeof v === 'string') {
      const problem = problemOf(v);
      if (problem !== undefined) errors.push({ pointer: at(), message: problem });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(v[i]);
        path.pop();
      }
    } else if (isPlainObject(v)) {
      for (const key of Object.keys(v)) {
        path.push(key);
        const problem = problemOf(key);
        if (problem !== undefined) errors.push({ pointer: at(), message: `member name ${problem}` });
        visit(v[key]);
        path.pop();
      }
    }
  };
  visit(value);
  return errors;
}
