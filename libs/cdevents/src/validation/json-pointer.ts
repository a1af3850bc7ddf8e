/** Appends one reference token to a JSON Pointer (RFC 6901), escaping `~` and `/`. */
export function appendPointer(pointer: string, token: string | number): string {
  if (typeof token === 'number') return `${pointer}/${token}`;
  if (token.indexOf('~') === -1 && token.indexOf('/') === -1) return `${pointer}/${token}`;
  return `${pointer}/${token.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The JSON type name of a value, for "got …" in messages. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
