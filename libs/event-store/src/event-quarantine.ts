import type { Cursor, EventStore, RecordedEvent } from '#kernel';
import { compareCursors } from '#kernel';
import type { SqlDatabase, SqlExecutor } from './sql-database.js';

/**
 * Events a subscriber of the global order (a projection, the relay) could not apply: it set them
 * aside and went on, so one bad event never stops a reader. The events stay in the store; a row
 * here only says who skipped which one and why, until a replay applies it (and deletes the row).
 */
const DDL = `
CREATE TABLE IF NOT EXISTS event_quarantine (
  subscriber text NOT NULL,
  cursor text NOT NULL,
  event_id text NOT NULL,
  stream_id text NOT NULL,
  stream_version bigint NOT NULL,
  event_type text NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL DEFAULT 1,
  quarantined_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscriber, cursor)
)`;

/** Serialises the DDL across processes that start at once (a transaction-scoped advisory lock). */
const DDL_LOCK_KEY = '7308604897068083576';

/** NUL and lone surrogates, which no text column can hold. */
// eslint-disable-next-line no-control-regex -- NUL is what it looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Longest error text kept per event: enough for a stack's first lines, never a whole payload. */
const MAX_ERROR_LENGTH = 2000;

export interface QuarantinedEvent {
  readonly subscriber: string;
  /** The event's place in the global order. */
  readonly cursor: Cursor;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  /** The last error applying it. */
  readonly error: string;
  /** Failed passes over it: the one that quarantined it, then each failed replay. */
  readonly attempts: number;
  readonly quarantinedAt: string;
  readonly lastAttemptAt: string;
}

export interface QuarantineSummary {
  readonly count: number;
  /** The earliest quarantined event in the global order, or null when none is. */
  readonly first: Cursor | null;
}

interface Row {
  subscriber: string;
  cursor: string;
  event_id: string;
  stream_id: string;
  stream_version: string | number;
  event_type: string;
  error: string;
  attempts: number;
  quarantined_at: Date | string;
  last_attempt_at: Date | string;
}

export class EventQuarantine {
  constructor(private readonly db: SqlDatabase) {}

  async migrate(): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [DDL_LOCK_KEY]);
      await tx.query(DDL);
    });
  }

  /** Sets the event aside for `subscriber` (again: counts one more attempt), in the caller's transaction. */
  async add(tx: SqlExecutor, subscriber: string, event: RecordedEvent, error: unknown): Promise<void> {
    await tx.query(
      `INSERT INTO event_quarantine (subscriber, cursor, event_id, stream_id, stream_version, event_type, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (subscriber, cursor) DO UPDATE
       SET error = EXCLUDED.error, attempts = event_quarantine.attempts + 1, last_attempt_at = now()`,
      [subscriber, event.cursor, event.eventId, event.streamId, event.streamVersion, event.type, describeFailure(error)],
    );
  }

  /** A replay that failed again: the newest error, one more attempt. */
  async failedAgain(subscriber: string, cursor: Cursor, error: unknown): Promise<void> {
    await this.db.query(
      'UPDATE event_quarantine SET error = $3, attempts = attempts + 1, last_attempt_at = now() WHERE subscriber = $1 AND cursor = $2',
      [subscriber, cursor, describeFailure(error)],
    );
  }

  /** Deletes the row in the caller's transaction; false when there was none. */
  async remove(tx: SqlExecutor, subscriber: string, cursor: Cursor): Promise<boolean> {
    const rows = await tx.query('DELETE FROM event_quarantine WHERE subscriber = $1 AND cursor = $2 RETURNING 1', [subscriber, cursor]);
    return rows.length > 0;
  }

  /**
   * Hands each of the subscriber's quarantined events, oldest first, read back from the store, to
   * `apply`, which must delete its row (`remove`) with its effect and resolve true, or resolve
   * false when the row was gone already. One that throws stays, with its newest error.
   */
  async replay(
    store: EventStore,
    subscriber: string,
    apply: (event: RecordedEvent, entry: QuarantinedEvent) => Promise<boolean>,
  ): Promise<{ replayed: number; remaining: QuarantinedEvent[] }> {
    let replayed = 0;
    for (const entry of await this.list(subscriber, Number.MAX_SAFE_INTEGER)) {
      try {
        const event = (await store.readStream(entry.streamId, entry.streamVersion))[0];
        if (!event || event.eventId !== entry.eventId) throw new Error(`event ${entry.eventId} is no longer in the store`);
        if (await apply(event, entry)) replayed++;
      } catch (error) {
        await this.failedAgain(subscriber, entry.cursor, error);
      }
    }
    return { replayed, remaining: await this.list(subscriber) };
  }

  /** The subscriber's quarantined events in log order (at most `limit`). */
  async list(subscriber: string, limit = 100): Promise<QuarantinedEvent[]> {
    const rows = await this.db.query<Row>('SELECT * FROM event_quarantine WHERE subscriber = $1', [subscriber]);
    return rows
      .map(toEvent)
      .sort((a, b) => compareCursors(a.cursor, b.cursor))
      .slice(0, limit);
  }

  /** Count and earliest event per subscriber that has any. */
  async summary(): Promise<Map<string, QuarantineSummary>> {
    const rows = await this.db.query<{ subscriber: string; cursor: string }>('SELECT subscriber, cursor FROM event_quarantine');
    const out = new Map<string, QuarantineSummary>();
    for (const { subscriber, cursor } of rows) {
      const seen = out.get(subscriber);
      const first = seen?.first && compareCursors(seen.first, cursor) <= 0 ? seen.first : cursor;
      out.set(subscriber, { count: (seen?.count ?? 0) + 1, first });
    }
    return out;
  }
}

/** Forgets every event set aside by `subscriber`, in the caller's transaction (its read model is rebuilt from the start, or dropped). */
export async function forgetQuarantined(tx: SqlExecutor, subscriber: string): Promise<void> {
  await tx.query('DELETE FROM event_quarantine WHERE subscriber = $1', [subscriber]);
}

/** An error as one bounded line of text that any column can hold (no NUL, no unpaired surrogate). */
export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_ERROR_LENGTH).replace(UNSTORABLE, '\uFFFD');
}

function toEvent(row: Row): QuarantinedEvent {
  return {
    subscriber: row.subscriber,
    cursor: row.cursor,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    type: row.event_type,
    error: row.error,
    attempts: Number(row.attempts),
    quarantinedAt: new Date(row.quarantined_at).toISOString(),
    lastAttemptAt: new Date(row.last_attempt_at).toISOString(),
  };
}
