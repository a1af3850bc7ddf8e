/** Appends one reference token to a JSON Pointer (RFC 6901), escaping `~` and `/`. */
export function appendPointer(pointer: string, token: string | number): string {
  if (typeof token === 'number') return `${pointer}/${token}`;
  if (token.indexOf('~') === -1 && token.indexOf('/') === -1) return `${pointer}/${token}`;
  return `${pointer}/${token.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
