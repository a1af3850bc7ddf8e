/**
 * Whether an error means the store or its database cannot be reached right now (down, restarting,
 * out of connections), as opposed to a request it refused. Such a request may succeed if retried,
 * so the HTTP layer answers 503 with Retry-After rather than 500. Follows `cause` chains.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    if (name === 'UnavailableError') return true; // KurrentDB client: no leader or node reachable
  }
  return false;
}

/**
 * PostgreSQL: 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up),
 * 53300 too many connections (class 08, connection exception, is matched by prefix). Node sockets:
 * refused, reset, timed out, unreachable, name not resolved.
 */
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** node-postgres and pg-pool report a lost or impossible connection by message only. */
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Cannot use a pool after calling end)/;
