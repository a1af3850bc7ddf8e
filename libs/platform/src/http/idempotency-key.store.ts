import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '#event-store';

/** How long a key is remembered after its first use (the draft leaves it to the server; 24 h, as most APIs do). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a request may hold its key unanswered. A process that dies mid-request leaves its key
 * claimed; past this lease a retry with the same body runs again (commands are safe to repeat:
 * grants and CDEvents collapse by identity), before it the retry gets 409.
 */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;
/** Expired keys are deleted at most this often, by whichever request comes along. */
const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Key of the advisory lock that serialises the migration across processes (any bigint no other code uses). */
const MIGRATION_LOCK_KEY = '5190847261102938471';

// One simple-query message, hence one implicit transaction (see the event store's schema).
export const IDEMPOTENCY_SCHEMA = `
SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY});
CREATE TABLE IF NOT EXISTS idempotency_keys (
  principal text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  claim text NOT NULL,
  status integer,
  content_type text,
  location text,
  body text,
  created_at timestamptz NOT NULL,
  locked_until timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (principal, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_expiry ON idempotency_keys (expires_at);`;

export interface StoredResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly location: string | null;
  readonly body: string;
}

export type ClaimResult =
  | { readonly kind: 'claimed'; readonly claim: string }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'in-flight' }
  | { readonly kind: 'mismatch' };

interface Row {
  fingerprint: string;
  status: number | null;
  content_type: string | null;
  location: string | null;
  body: string | null;
}

/** Idempotency keys and their answers, in the app's database (PostgreSQL or PGlite), per principal. */
export class IdempotencyKeyStore {
  private ready: Promise<void> | undefined;
  private lastPurge = 0;

  constructor(private readonly db: SqlDatabase) {}

  /** Creates the table once per process (idempotent across processes). */
  init(): Promise<void> {
    this.ready ??= this.db.exec(IDEMPOTENCY_SCHEMA);
    return this.ready;
  }

  /**
   * Takes the key for this request, or says why not: its answer is known (replay), it is being
   * answered (in flight), or it was used for another request (mismatch). An expired key, or one
   * whose holder let its lease run out on the same request, is taken over.
   */
  async claim(principal: string, key: string, fingerprint: string, now: Date): Promise<ClaimResult> {
    await this.init();
    await this.purge(now);
    const at = now.getTime();
    for (let attempt = 0; attempt < 3; attempt++) {
      const claim = randomUUID();
      const taken = await this.db.query(
        `INSERT INTO idempotency_keys AS k (principal, key, fingerprint, claim, created_at, locked_until, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (principal, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, claim = EXCLUDED.claim, status = NULL,
           content_type = NULL, location = NULL, body = NULL, created_at = EXCLUDED.created_at, locked_until = EXCLUDED.locked_until,
           expires_at = EXCLUDED.expires_at
         WHERE k.expires_at <= EXCLUDED.created_at
            OR (k.status IS NULL AND k.locked_until <= EXCLUDED.created_at AND k.fingerprint = EXCLUDED.fingerprint)
         RETURNING 1 AS taken`,
        [principal, key, fingerprint, claim, iso(at), iso(at + IDEMPOTENCY_LEASE_MS), iso(at + IDEMPOTENCY_KEY_TTL_MS)],
      );
      if (taken.length > 0) return { kind: 'claimed', claim };
      const [row] = await this.db.query<Row>(
        'SELECT fingerprint, status, content_type, location, body FROM idempotency_keys WHERE principal = $1 AND key = $2',
        [principal, key],
      );
      if (row === undefined) continue; // released meanwhile: try again
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.status === null) return { kind: 'in-flight' };
      return {
        kind: 'replay',
        response: { status: row.status, contentType: row.content_type, location: row.location, body: row.body ?? '' },
      };
    }
    return { kind: 'in-flight' };
  }

  /** Records the answer of a claimed key. */
  async complete(principal: string, key: string, claim: string, response: StoredResponse): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET status = $4, content_type = $5, location = $6, body = $7
       WHERE principal = $1 AND key = $2 AND claim = $3`,
      [principal, key, claim, response.status, response.contentType, response.location, response.body],
    );
  }

  /** Forgets a claimed key whose answer is not to be replayed, so that a retry runs again. */
  async release(principal: string, key: string, claim: string): Promise<void> {
    await this.db.query('DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND claim = $3', [principal, key, claim]);
  }

  private async purge(now: Date): Promise<void> {
    const at = now.getTime();
    if (at - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = at;
    await this.db.query('DELETE FROM idempotency_keys WHERE expires_at <= $1', [iso(at)]);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
