import type { FieldError } from '#kernel';
import { Invalid, appendPointer, exceedsBytes, identifierLengthMessage, instantProblem } from '#kernel';
import { isRfc3339DateTime, isUri } from '#cdevents';

/**
 * Readers for evidence documents that arrive as parsed, untyped JSON. Each reads one member,
 * records a field error at its JSON Pointer instead of throwing, and returns undefined when the
 * member is unusable, so one pass reports every bad field. `null` counts as unset, as the in-toto
 * and SLSA parsing rules require ("unset, null and empty are equivalent").
 */

export type JsonObject = Record<string, unknown>;

/** Enough to fix a document; a 10,000-component SBOM with one systematic mistake would otherwise list it 10,000 times. */
export const MAX_FIELD_ERRORS = 20;

export class FieldErrors {
  readonly list: FieldError[] = [];
  add(pointer: string, message: string): void {
    if (this.list.length < MAX_FIELD_ERRORS) this.list.push({ pointer, message });
  }

  get full(): boolean {
    return this.list.length >= MAX_FIELD_ERRORS;
  }

  /** Throws kernel `Invalid` with every recorded error, if there is one. */
  throwIfAny(what: string): void {
    if (this.list.length === 0) return;
    // Long documents stop being walked once the list is full, so the full count is not known.
    const more = this.full ? ` (the first ${MAX_FIELD_ERRORS} errors are listed; there may be more)` : '';
    throw new Invalid(`${what} is invalid${more}`, this.list);
  }
}

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const has = (obj: JsonObject, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== null;

export const member = (obj: JsonObject, key: string): unknown => (has(obj, key) ? obj[key] : undefined);

export interface StringRules {
  /** Refuse "" (most identifiers). */
  readonly nonEmpty?: boolean;
  /** Held in an index: at most MAX_IDENTIFIER_BYTES of UTF-8. */
  readonly identifier?: boolean;
  /** An absolute RFC 3986 URI (in-toto TypeURI / ResourceURI). */
  readonly uri?: boolean;
}

function checkString(value: string, pointer: string, rules: StringRules, errors: FieldErrors): string | undefined {
  if (rules.nonEmpty && value.length === 0) return void errors.add(pointer, 'must not be empty');
  if (rules.identifier && exceedsBytes(value)) return void errors.add(pointer, identifierLengthMessage());
  if (rules.uri && !isUri(value)) return void errors.add(pointer, 'must be an absolute URI (RFC 3986)');
  return value;
}

export function optionalString(
  obj: JsonObject,
  key: string,
  base: string,
  errors: FieldErrors,
  rules: StringRules = {},
): string | undefined {
  const value = member(obj, key);
  if (value === undefined) return undefined;
  const pointer = appendPointer(base, key);
  if (typeof value !== 'string') return void errors.add(pointer, 'must be a string');
  return checkString(value, pointer, rules, errors);
}

export function requiredString(
  obj: JsonObject,
  key: string,
  base: string,
  errors: FieldErrors,
  rules: StringRules = {},
): string | undefined {
  if (member(obj, key) === undefined) return void errors.add(appendPointer(base, key), 'is required');
  return optionalString(obj, key, base, errors, rules);
}

export function optionalObject(obj: JsonObject, key: string, base: string, errors: FieldErrors): JsonObject | undefined {
  const value = member(obj, key);
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) return void errors.add(appendPointer(base, key), 'must be an object');
  return value;
}

export function requiredObject(obj: JsonObject, key: string, base: string, errors: FieldErrors): JsonObject | undefined {
  if (member(obj, key) === undefined) return void errors.add(appendPointer(base, key), 'is required');
  return optionalObject(obj, key, base, errors);
}

export function optionalArray(obj: JsonObject, key: string, base: string, errors: FieldErrors): readonly unknown[] | undefined {
  const value = member(obj, key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return void errors.add(appendPointer(base, key), 'must be an array');
  return value as readonly unknown[];
}

export function requiredArray(obj: JsonObject, key: string, base: string, errors: FieldErrors): readonly unknown[] | undefined {
  if (member(obj, key) === undefined) return void errors.add(appendPointer(base, key), 'is required');
  return optionalArray(obj, key, base, errors);
}

/** Strings of an optional array; a non-string item is a field error and left out. */
export function optionalStringList(obj: JsonObject, key: string, base: string, errors: FieldErrors): string[] {
  const items = optionalArray(obj, key, base, errors) ?? [];
  const at = appendPointer(base, key);
  const out: string[] = [];
  items.forEach((item, i) => {
    if (typeof item === 'string') out.push(item);
    else errors.add(appendPointer(at, i), 'must be a string');
  });
  return out;
}

/**
 * An RFC 3339 date-time within the ledger's instant range, returned in UTC (`toISOString`), so
 * instants compare as strings and every store reads them back.
 */
export function optionalInstant(obj: JsonObject, key: string, base: string, errors: FieldErrors): string | undefined {
  const value = optionalString(obj, key, base, errors);
  if (value === undefined) return undefined;
  const pointer = appendPointer(base, key);
  if (!isRfc3339DateTime(value)) return void errors.add(pointer, 'must be an RFC 3339 date-time with an offset, e.g. 2024-05-01T12:00:00Z');
  const problem = instantProblem(value);
  if (problem !== undefined) return void errors.add(pointer, problem);
  return new Date(Date.parse(value)).toISOString();
}

export function requiredInstant(obj: JsonObject, key: string, base: string, errors: FieldErrors): string | undefined {
  if (member(obj, key) === undefined) return void errors.add(appendPointer(base, key), 'is required');
  return optionalInstant(obj, key, base, errors);
}
