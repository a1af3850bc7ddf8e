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

/**
 * Strings that are not well-formed Unicode: JSON text may spell a lone UTF-16 surrogate
 * (`"\ud800"`), which no UTF-8 store, hash or signature can represent faithfully (PostgreSQL's
 * jsonb refuses it, RFC 8785 canonicalisation too), and I-JSON (RFC 7493) forbids it. Event data
 * must not hold any, so every JSON input is checked at the edge. Member
 * names count as well as values. Reports at most ten, each at its pointer under `base`.
 */
export function illFormedStrings(value: unknown, base = ''): FieldError[] {
  const errors: FieldError[] = [];
  // The path is kept as tokens and joined into a pointer only for a string that fails.
  const path: (string | number)[] = [];
  const at = () => path.reduce<string>(appendPointer, base);
  const visit = (v: unknown): void => {
    if (errors.length >= MAX_REPORTED) return;
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) errors.push({ pointer: at(), message: 'is not well-formed Unicode (a lone surrogate escape such as \\ud800)' });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(v[i]);
        path.pop();
      }
    } else if (isPlainObject(v)) {
      for (const key of Object.keys(v)) {
        path.push(key);
        if (LONE_SURROGATE.test(key)) errors.push({ pointer: at(), message: 'member name is not well-formed Unicode (a lone surrogate escape)' });
        visit(v[key]);
        path.pop();
      }
    }
  };
  visit(value);
  return errors;
}
