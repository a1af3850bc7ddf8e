/**
 * Whether a subscriber's failure may lie with the event it was applying, rather than with the
 * database or the subscriber's position. Only such failures may set an event aside; everything
 * else (a lost connection, a deadlock, a moved checkpoint) is retried, so nothing is skipped for
 * a passing reason. The caller still checks that the database answers before it blames an event.
 */
export function mayBeTheEventsFault(error: unknown): boolean {
  if (error instanceof SubscriberPositionMoved) return false;
  const code = errorCode(error);
  if (code === null) return true; // thrown by the subscriber's own code, e.g. on a malformed body
  if (!SQLSTATE.test(code)) return false; // a system error such as ECONNRESET
  return EVENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
}

/**
 * SQLSTATE classes a row's values can cause: 21 cardinality (one batch touching a row twice),
 * 22 data exception (NUL, out-of-range dates and numbers, bad text), 23 integrity constraint,
 * 54 program limit (an index row too large). Not 42 (a missing table is a bug of every event)
 * nor 08/40/53/57/58 (connection, conflicts, resources, shutdown): those are retried.
 */
const EVENT_SQLSTATE_CLASSES = new Set(['21', '22', '23', '54']);
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** A subscriber's stored position moved under it (a rebuild, another runner): resume from it, blame nothing. */
export class SubscriberPositionMoved extends Error {
  override readonly name = 'SubscriberPositionMoved';
}

function errorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : null;
}
