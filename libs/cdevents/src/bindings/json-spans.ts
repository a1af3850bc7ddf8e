/**
 * Locates values inside JSON text that `JSON.parse` has already accepted, so a structured or
 * batched CloudEvent's `data` can be handed on as the exact bytes the producer sent (the audit
 * log keeps those), not a re-serialisation.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipWs(text: string, i: number): number {
  while (i < text.length && isWs(text.charCodeAt(i))) i++;
  return i;
}

function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22 /* " */) return i + 1;
  }
  return i;
}

/** End offset of the (valid) JSON value starting at `i`. */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === 0x22) return skipString(text, i);
  if (first !== 0x7b /* { */ && first !== 0x5b /* [ */) {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x2c || c === 0x5d || c === 0x7d || isWs(c)) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(text, i);
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

/** Spans of the elements of the array whose `[` is the first non-blank character from `from`. */
export function arrayElementSpans(text: string, from = 0): Span[] {
  const spans: Span[] = [];
  let i = skipWs(text, from) + 1;
  for (;;) {
    i = skipWs(text, i);
    if (i >= text.length || text.charCodeAt(i) === 0x5d) return spans;
    const end = skipValue(text, i);
    spans.push({ start: i, end });
    i = skipWs(text, end);
    if (text.charCodeAt(i) === 0x2c) i++;
  }
}

/** Span of member `key`'s value in the object starting at `span.start` (last one wins, as in JSON.parse). */
export function memberSpan(text: string, span: Span, key: string): Span | undefined {
  let found: Span | undefined;
  let i = skipWs(text, span.start) + 1;
  while (i < span.end) {
    i = skipWs(text, i);
    if (text.charCodeAt(i) !== 0x22) return found;
    const keyEnd = skipString(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd) + 1; // past ':'
    i = skipWs(text, i);
    const end = skipValue(text, i);
    if (name === key) found = { start: i, end };
    i = skipWs(text, end);
    if (text.charCodeAt(i) === 0x2c) i++;
  }
  return found;
}
