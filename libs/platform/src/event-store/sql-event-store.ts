import type { AppendResult, Cursor, EventStore, ExpectedVersion, NewEvent, ReadAllOptions, RecordedEvent } from '#kernel';
import { Conflict, makeCursor, parseCursor, WrongExpectedVersion } from '#kernel';
import type { SqlDatabase } from '../sql/sql-database.js';
import { EVENT_STORE_SCHEMA } from './sql-event-store.schema.js';

interface EventRow {
  global_position: string | number;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date | string;
}

const COLUMNS = `global_position, transaction_id::text AS transaction_id, event_id, stream_id, stream_version,
  type, data, metadata, recorded_at`;

/**
 * Bumps the stream version; for a stream that exists it only matches when the version is the
 * expected one. Concurrent appenders to one stream queue on its row lock; the losers see the
 * moved version and get no row back. Appends to different streams never wait on each other.
 */
const BUMP_STREAM = `
INSERT INTO event_streams AS s (stream_id, version) VALUES ($1, $2)
ON CONFLICT (stream_id) DO UPDATE SET version = s.version + $2
  WHERE $3::integer IS NULL OR s.version = $3::integer
RETURNING version`;

const INSERT_EVENTS = `
INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
SELECT e.event_id, $1, e.stream_version, e.type, e.data, e.metadata
FROM unnest($2::text[], $3::integer[], $4::text[], $5::jsonb[], $6::jsonb[])
  AS e(event_id, stream_version, type, data, metadata)
ORDER BY e.stream_version
RETURNING ${COLUMNS}`;

const READ_ALL = `
SELECT ${COLUMNS} FROM events
WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)

ORDER BY transaction_id, global_position
LIMIT $3`;

export class SqlEventStore implements EventStore {
  private waiters = new Set<() => void>();

  constructor(private readonly db: SqlDatabase) {}

  /** Creates the tables if missing; safe to run on every start. */
  async migrate(): Promise<void> {
    await this.db.exec(EVENT_STORE_SCHEMA);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const want = expected === 'no_stream' ? 0 : expected === 'any' ? null : expected;
    const rows = await this.db
      .transaction(async (tx) => {
        const bumped = await tx.query<{ version: number }>(BUMP_STREAM, [streamId, events.length, want]);
        const after = bumped[0]?.version;
        if (after === undefined || (want !== null && after - events.length !== want)) {
          const current = await tx.query<{ version: number }>('SELECT version FROM event_streams WHERE stream_id = $1', [streamId]);
          throw new WrongExpectedVersion(streamId, expected, current[0]?.version ?? null);
        }
        const first = after - events.length + 1;
        return tx.query<EventRow>(INSERT_EVENTS, [
          streamId,
          events.map((e) => e.eventId),
          events.map((_, i) => first + i),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata)),
        ]);
      })
      .catch((error: unknown) => {
        throw translateUniqueViolation(error, streamId, expected);
      });
    const recorded = rows.map(toRecorded);
    this.wakeWaiters();
    const last = recorded[recorded.length - 1]!;
    return { nextVersion: last.streamVersion, events: recorded, lastCursor: last.cursor };
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const rows = await this.db.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`,
      [streamId, fromVersion],
    );
    return rows.map(toRecorded);
  }

  async readAll(after: Cursor, options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const [txn, pos] = parseCursor(after);
    const rows = await this.db.query<EventRow>(READ_ALL, [txn.toString(), pos.toString(), options.limit ?? 1000]);
    return rows.map(toRecorded);
  }

  waitForAppend(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.waiters.add(wake);
    });
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

function toRecorded(row: EventRow): RecordedEvent {
  const position = Number(row.global_position);
  return {
    position,
    cursor: makeCursor(row.transaction_id, position),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

/**
 * Unique violations: on (stream_id, stream_version) a concurrent first append to a new stream
 * won (possible only for expected 'any'); on event_id the event is already stored.
 */
function translateUniqueViolation(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
  if (error instanceof WrongExpectedVersion) return error;
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code !== '23505') return error;
  if (constraint?.includes('event_id')) return new Conflict(`an event with the same id is already stored (stream ${streamId})`);
  return new WrongExpectedVersion(streamId, expected, null);
}
