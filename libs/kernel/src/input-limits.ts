/**
 * Limits on what the ledger accepts, so that every accepted value can be stored and read back by
 * every reader: PostgreSQL text, jsonb, timestamptz and btree indexes, JavaScript Date, RFC 3339.
 */

/**
 * Longest identifier (ids, sources, types, subject ids, environment and artifact ids), in UTF-8
 * bytes: 1,024 ASCII characters, fewer of other scripts. Read models keep identifiers in btree
 * indexes, whose entries PostgreSQL caps at 2,704 bytes (a third of an 8 KiB page), and the widest
 * telemetry index holds two identifiers and a project id (one of them lower-cased, which can grow
 * UTF-8 by half): 63 + 1,024 + 1,536 + overhead stays below that cap. The bound is in bytes
 * because the index cap is; 1,024 matches the size CloudEvents producers are told to keep ids and
 * sources well within.
 */
export const MAX_IDENTIFIER_BYTES = 1024;

/**
 * Accepted instants: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z. PostgreSQL's timestamptz
 * would hold 4713 BC to 294276 AD, but the other readers hold less: RFC 3339 has four-digit years
 * only; JavaScript Date writes a year past 9999 as "+010000" (not RFC 3339, and not read back by
 * PostgreSQL); years before 1 do not exist in PostgreSQL's calendar ("0000-01-01" is refused). No
 * CI/CD event predates the Unix epoch, and epoch-based consumers (Kafka record timestamps, Unix
 * seconds, DORA durations) take a negative time as "none" or as an error, so 1970 is the floor.
 */
export const EARLIEST_INSTANT_MS = Date.UTC(1970, 0, 1);
export const LATEST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const TIMESTAMP_RANGE_MESSAGE = 'must lie between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)';

/** UTF-8 length of a well-formed string, without encoding it. */
export function utf8ByteLength(value: string): number {
  let bytes = value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // A surrogate pair is 2 units and 4 bytes, so each unit counts 1 + 1.
    if (c >= 0x80) bytes += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

/** True when the identifier is longer than `max` UTF-8 bytes; cheap for short strings. */
export function exceedsBytes(value: string, max = MAX_IDENTIFIER_BYTES): boolean {
  // One UTF-16 unit is 1 to 3 UTF-8 bytes.
  if (value.length * 3 <= max) return false;
  if (value.length > max) return true;
  return utf8ByteLength(value) > max;
}

export const identifierLengthMessage = (max = MAX_IDENTIFIER_BYTES): string =>
  `must be at most ${max} bytes long in UTF-8 (${max} ASCII characters)`;

/**
 * Why a date-time string (already checked to be RFC 3339) cannot be held by every reader, or
 * undefined when it can. Parsed the way the readers parse it (Date.parse), so what passes is what
 * they can read: a leap second (":60"), valid RFC 3339, is not.
 */
export function instantProblem(value: string): string | undefined {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return 'cannot be read as an instant (a leap second ":60" is not supported; use ":59.999")';
  if (ms < EARLIEST_INSTANT_MS || ms > LATEST_INSTANT_MS) return TIMESTAMP_RANGE_MESSAGE;
  return undefined;
}
