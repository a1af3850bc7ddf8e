import type { AppendResult, Cursor, EventStore, ExpectedVersion, NewEvent, ReadAllOptions, RecordedEvent, StreamAppend } from '#kernel';
import { Conflict, makeCursor, parseCursor, WrongExpectedVersion } from '#kernel';
import type { SqlDatabase } from './sql-database.js';
import { EVENT_STORE_SCHEMA, WRONG_EXPECTED_VERSION_SQLSTATE } from './sql-event-store.schema.js';
import { AppendNotifier } from './append-notifier.js';

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

/** What append_events returns for each event appended (see the schema). */
interface AppendedRow {
  event_version: number;
  event_position: string | number | bigint;
  event_txn: string;
  event_recorded_at: Date | string;
}

/**
 * One statement, hence one autocommit transaction and one round trip: append_events bumps the
 * stream at the expected version and inserts the events atomically. Only what the database
 * assigns comes back; the rest of each recorded event is built from the inputs.
 * The leading comment is PostgresDatabase's PREPARED_MARKER: a prepared statement on PostgreSQL.
 */
const APPEND = `/* prepared */
SELECT event_version, event_position, event_txn, event_recorded_at
FROM append_events($1::text, $2::integer, $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])`;

/** Several streams in one call (one commit, one round trip): see append_events_many in the schema. */
const APPEND_MANY = `/* prepared */
SELECT append_index, event_version, event_position, event_txn, event_recorded_at
FROM append_events_many($1::text[], $2::integer[], $3::integer[], $4::jsonb)`;

// ORDER BY qualifies the columns: a bare name would mean the text alias of the select list, and
// '1000' sorts before '999' (a reader would then re-read or skip events when xids gain a digit).
const AFTER_CURSOR_IN_COMMIT_ORDER = `
FROM events
WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY events.transaction_id, events.global_position
LIMIT $3`;

const READ_ALL = `SELECT ${COLUMNS} ${AFTER_CURSOR_IN_COMMIT_ORDER}`;

/** READ_ALL with ReadAllOptions.onlyDataOf: other types come as stubs, so their bodies are neither detoasted nor sent. */
const READ_ALL_OF_TYPES = `
SELECT global_position, transaction_id::text AS transaction_id, event_id, stream_id, stream_version, type,
  CASE WHEN type = ANY($4::text[]) THEN data ELSE '{}'::jsonb END AS data,
  CASE WHEN type = ANY($4::text[]) THEN metadata ELSE '{}'::jsonb END AS metadata, recorded_at
${AFTER_CURSOR_IN_COMMIT_ORDER}`;

export class SqlEventStore implements EventStore {
  private readonly appended = new AppendNotifier();

  constructor(private readonly db: SqlDatabase) {}

  /** Creates the tables if missing; safe to run on every start. */
  async migrate(): Promise<void> {
    await this.db.exec(EVENT_STORE_SCHEMA);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const want = expected === 'no_stream' ? 0 : expected === 'any' ? null : expected;
    const data = events.map((e) => JSON.stringify(e.data));
    const metadata = events.map((e) => JSON.stringify(e.metadata));
    const rows = await this.db
      .query<AppendedRow>(APPEND, [streamId, want, events.map((e) => e.eventId), events.map((e) => e.type), data, metadata])
      .catch((error: unknown) => {
        throw translateAppendError(error, streamId, expected);
      });
    if (rows.length !== events.length) throw new Error(`append_events returned ${rows.length} rows for ${events.length} events`);
    // Rows are matched to events by stream version, whatever order they come back in.
    const first = rows.reduce((min, r) => Math.min(min, r.event_version), Infinity);
    const recorded = new Array<RecordedEvent>(events.length);
    for (const row of rows) {
      const i = row.event_version - first;
      const e = events[i]!;
      const position = Number(row.event_position);
      recorded[i] = {
        position,
        cursor: makeCursor(row.event_txn, position),
        eventId: e.eventId,
        streamId,
        streamVersion: row.event_version,
        type: e.type,
        // Parsed from the JSON sent, as a reader gets them back: no aliasing of the caller's objects.
        data: JSON.parse(data[i]!) as RecordedEvent['data'],
        metadata: JSON.parse(metadata[i]!) as RecordedEvent['metadata'],
        recordedAt: new Date(row.event_recorded_at).toISOString(),
      };
    }
    this.appended.notify();
    const last = recorded[recorded.length - 1]!;
    return { nextVersion: last.streamVersion, events: recorded, lastCursor: last.cursor };
  }

  /**
   * Streams are sent in stream-id order, so concurrent multi-stream appends lock stream rows in
   * one order and never deadlock each other.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0) return [];
    if (appends.some((a) => a.events.length === 0)) throw new RangeError('append needs at least one event');
    if (new Set(appends.map((a) => a.streamId)).size !== appends.length) throw new RangeError('appendMany needs distinct streams');
    const order = appends.map((_, i) => i).sort((x, y) => (appends[x]!.streamId < appends[y]!.streamId ? -1 : 1));
    const sorted = order.map((i) => appends[i]!);
    const events = sorted.flatMap((a) => a.events);
    const data = events.map((e) => JSON.stringify(e.data));
    const metadata = events.map((e) => JSON.stringify(e.metadata));
    const rows = await this.db
      .query<AppendedRow & { append_index: number }>(APPEND_MANY, [
        sorted.map((a) => a.streamId),
        sorted.map((a) => (a.expectedVersion === 'no_stream' ? 0 : a.expectedVersion === 'any' ? null : a.expectedVersion)),
        sorted.map((a) => a.events.length),
        `[${events.map((e, i) => `{"i":${JSON.stringify(e.eventId)},"t":${JSON.stringify(e.type)},"d":${data[i]},"m":${metadata[i]}}`).join(',')}]`,
      ])
      .catch((error: unknown) => {
        const failed =
          sorted.find((a) => (error as { message?: string }).message?.startsWith(`stream ${a.streamId} is at version`)) ?? sorted[0]!;
        throw translateAppendError(error, failed.streamId, failed.expectedVersion);
      });
    if (rows.length !== events.length) throw new Error(`append_events returned ${rows.length} rows for ${events.length} events`);
    // Rows come ordered by append, then stream version (see APPEND_MANY); plain loops throughout.
    const results: AppendResult[] = [];
    let offset = 0;
    for (let k = 0; k < sorted.length; k++) {
      const a = sorted[k]!;
      const recorded: RecordedEvent[] = [];
      for (let i = 0; i < a.events.length; i++) {
        const row = rows[offset + i]!;
        if (row.append_index !== k + 1) throw new Error(`append_events answered out of order at append ${k + 1}`);
        const e = a.events[i]!;
        const position = Number(row.event_position);
        recorded.push({
          position,
          cursor: makeCursor(row.event_txn, position),
          eventId: e.eventId,
          streamId: a.streamId,
          streamVersion: row.event_version,
          type: e.type,
          data: JSON.parse(data[offset + i]!) as RecordedEvent['data'],
          metadata: JSON.parse(metadata[offset + i]!) as RecordedEvent['metadata'],
          recordedAt: new Date(row.event_recorded_at).toISOString(),
        });
      }
      offset += a.events.length;
      const last = recorded[recorded.length - 1]!;
      results.push({ nextVersion: last.streamVersion, events: recorded, lastCursor: last.cursor });
    }
    const inGivenOrder: AppendResult[] = [];
    for (let k = 0; k < order.length; k++) inGivenOrder[order[k]!] = results[k]!;
    this.appended.notify();
    return inGivenOrder;
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const rows = await this.db.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`,
      [streamId, fromVersion],
    );
    return rows.map(toRecorded);
  }

  async streamVersion(streamId: string): Promise<number | null> {
    const rows = await this.db.query<{ version: number }>('SELECT version FROM event_streams WHERE stream_id = $1', [streamId]);
    return rows[0]?.version ?? null;
  }

  async readAll(after: Cursor, options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const [txn, pos] = parseCursor(after);
    const params = [txn.toString(), pos.toString(), options.limit ?? 1000];
    const rows = await (options.onlyDataOf
      ? this.db.query<EventRow>(READ_ALL_OF_TYPES, [...params, options.onlyDataOf])
      : this.db.query<EventRow>(READ_ALL, params));
    return rows.map(toRecorded);
  }

  waitForAppend(timeoutMs: number): Promise<void> {
    return this.appended.wait(timeoutMs);
  }

  /** Any committed event, whatever its commit order (readAll's hold-back does not apply). */
  async isEmpty(): Promise<boolean> {
    const rows = await this.db.query<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM events) AS present');
    return !rows[0]?.present;
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.appended.notify();
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
 * append_events raises WRONG_EXPECTED_VERSION_SQLSTATE with the actual version (empty: no stream)
 * in DETAIL. Unique violations: on event_id the event is already stored; on (stream_id,
 * stream_version) a row was written behind the stream's back (not by append_events, which
 * serialises each stream on its event_streams row).
 */
function translateAppendError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
  const { code, constraint, detail } = (error ?? {}) as { code?: string; constraint?: string; detail?: string };
  if (code === WRONG_EXPECTED_VERSION_SQLSTATE) {
    const actual = detail ? Number(detail) : null;
    return new WrongExpectedVersion(streamId, expected, Number.isInteger(actual) ? actual : null);
  }
  if (code !== '23505') return error;
  if (constraint?.includes('event_id')) return new Conflict(`an event with the same id is already stored (stream ${streamId})`);
  return new WrongExpectedVersion(streamId, expected, null);
}
