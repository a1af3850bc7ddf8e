import type { FieldError } from './errors.js';

const MAX_REPORTED = 10;
/** A JSON Pointer one level down (RFC 6901 escapes "~" and "/"). */
const down = (pointer: string, token: string | number) => `${pointer}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
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
  const visit = (v: unknown, pointer: string): void => {
    if (errors.length >= MAX_REPORTED) return;
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) errors.push({ pointer, message: 'is not well-formed Unicode (a lone surrogate escape such as \\ud800)' });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, down(pointer, i)));
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        const at = down(pointer, key);
        if (LONE_SURROGATE.test(key)) errors.push({ pointer: at, message: 'member name is not well-formed Unicode (a lone surrogate escape)' });
        visit(item, at);
      }
    }
  };
  visit(value, base);
  return errors;
}
