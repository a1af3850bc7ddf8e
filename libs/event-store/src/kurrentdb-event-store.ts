import { createHash } from 'node:crypto';
import type { AppendStreamState, JSONEventType, Position } from '@kurrent/kurrentdb-client';
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  jsonEvent,
  KurrentDBClient,
  NO_STREAM,
  START as KURRENT_START,
} from '@kurrent/kurrentdb-client';
import type { AppendResult, Cursor, EventMetadata, EventStore, ExpectedVersion, NewEvent, ReadAllOptions, RecordedEvent } from '#kernel';
import { IllegalState, Invalid, makeCursor, parseCursor, START, WrongExpectedVersion } from '#kernel';
import { AppendNotifier } from './append-notifier.js';

/**
 * Metadata key under which the ledger keeps its own event id: KurrentDB only accepts UUIDs as
 * event ids, ours may be any string. Reserved: an append whose metadata already uses it is refused.
 */
export const LEDGER_EVENT_ID_KEY = 'ledgerEventId';

/** Namespace of the name-based UUIDs derived from non-UUID event ids (fixed forever: ids must stay stable). */
const EVENT_ID_NAMESPACE = Buffer.from('6f1c2b9e4d7a4e0c9b3f5a8d2e1c7b40', 'hex');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface KurrentDbEventStoreOptions {
  /** Dispose the client on close(); true when the store created it. */
  readonly ownsClient?: boolean;
  /** How long ping() may take before it reports the server unreachable. */
  readonly pingTimeoutMs?: number;
}

/**
 * EventStore port over KurrentDB / EventStoreDB (gRPC, `@kurrent/kurrentdb-client`).
 *
 * Mapping:
 * - stream version (count of events, 0 = none) ↔ KurrentDB revision (0-based): version = revision + 1;
 *   expected version n maps to stream state revision n-1, and 0 / 'no_stream' to NO_STREAM.
 * - Cursor = "<commit>:<prepare>" of the event's $all position. $all is one totally ordered,
 *   append-only log in which an event only becomes readable once committed, so an in-flight write can
 *   never be overtaken and skipped (the reason the SQL store needs xid8 ordering does not arise).
 * - RecordedEvent.position = Number(commit position): a byte offset into the transaction log,
 *   unique and increasing but not dense (gaps are normal; never count on position + 1).
 *   Exact up to 2^53 bytes (8 PiB) of log.
 * - Events of streams or types starting with `$` (KurrentDB's own system events, links, metadata
 *   streams) are not ours: readAll skips them and append refuses to write them.
 *
 * Requires a server that reports event positions on stream reads (EventStoreDB 22.6 or later).
 */
export class KurrentDbEventStore implements EventStore {
  private readonly appended = new AppendNotifier();
  /**
   * After-cursor → last $all position scanned past it that held only system events. Lets a poller
   * that sits idle behind a growing tail of `$stats` events resume where the previous poll stopped
   * instead of re-reading the whole tail each time; safe because the log is immutable.
   */
  private readonly scannedPast = new Map<Cursor, Position>();
  private readonly ownsClient: boolean;
  private readonly pingTimeoutMs: number;

  constructor(
    private readonly client: KurrentDBClient,
    options: KurrentDbEventStoreOptions = {},
  ) {
    this.ownsClient = options.ownsClient ?? false;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5000;
  }

  /** e.g. `kurrentdb://127.0.0.1:2113?tls=false`; the store owns (and closes) the client. */
  static connect(connectionString: string, options: Omit<KurrentDbEventStoreOptions, 'ownsClient'> = {}): KurrentDbEventStore {
    return new KurrentDbEventStore(KurrentDBClient.connectionString(connectionString), { ...options, ownsClient: true });
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    refuseSystemNames(streamId, events);
    let nextRevision: bigint;
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), { streamState: toStreamState(expected) });
      nextRevision = result.nextExpectedRevision;
    } catch (error) {
      throw translateAppendError(error, streamId, expected);
    }
    this.appended.notify();
    // The append reply carries neither per-event positions nor the server's timestamp: read them back.
    // The revisions are ours: a stream append is atomic, so nothing can interleave within it. If this
    // read fails the events are nonetheless stored; a retry with the same ids and expected version is
    // acknowledged by KurrentDB's idempotence check without writing them twice.
    const firstRevision = nextRevision - BigInt(events.length) + 1n;
    const recorded = await this.readRevisions(streamId, firstRevision, events.length);
    if (recorded.length !== events.length || recorded.some((e, i) => e.eventId !== events[i]!.eventId)) {
      throw new IllegalState(`stream ${streamId}: the events read back at revision ${firstRevision} are not the ones appended`);
    }
    const last = recorded[recorded.length - 1]!;
    return { nextVersion: last.streamVersion, events: recorded, lastCursor: last.cursor };
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    if (!Number.isSafeInteger(fromVersion)) throw new RangeError(`invalid fromVersion ${fromVersion}`);
    return this.readRevisions(streamId, fromVersion <= 1 ? 0n : BigInt(fromVersion - 1));
  }

  /** Reads the stream's last event backwards: one small round trip. */
  async streamVersion(streamId: string): Promise<number | null> {
    try {
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision: END,
        direction: BACKWARDS,
        maxCount: 1,
        resolveLinkTos: false,
        requiresLeader: true,
      })) {
        if (resolved.event) return Number(resolved.event.revision) + 1;
      }
    } catch (error) {
      if (errorType(error) === ErrorType.STREAM_NOT_FOUND) return null;
      throw error;
    }
    return null;
  }

  async readAll(after: Cursor, options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.limit ?? 1000;
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`invalid limit ${limit}`);
    const [commit, prepare] = parseCursor(after);
    // $all reads forwards are inclusive of their start; `floor` is the last position already consumed.
    let floor: Position = this.scannedPast.get(after) ?? { commit, prepare };
    const out: RecordedEvent[] = [];
    for (;;) {
      // One more than needed: the page starts with `floor` itself when that event still exists.
      const pageSize = Math.min(Math.max(limit - out.length + 1, 64), 5000);
      const pageFrom = floor;
      let read = 0;
      for await (const resolved of this.client.readAll({
        fromPosition: floor.commit === 0n && floor.prepare === 0n ? KURRENT_START : floor,
        direction: FORWARDS,
        maxCount: pageSize,
        resolveLinkTos: false,
      })) {
        read++;
        const event = resolved.event;
        // Keep draining rather than breaking out, so the server-side read always completes.
        if (!event || out.length >= limit || comparePositions(event.position, floor) <= 0) continue;
        floor = event.position;
        if (!isSystemEvent(event)) out.push(toRecorded(event));
      }
      // A short page is the end of $all; a page that moved nothing on would loop forever.
      if (out.length >= limit || read < pageSize || floor === pageFrom) break;
    }
    if (out.length === 0 && comparePositions(floor, { commit, prepare }) > 0) this.rememberScan(after, floor);
    return out;
  }

  /**
   * Wakes on appends through this instance, otherwise after `timeoutMs`; appends by other processes
   * are found by the caller's next poll. (A live $all subscription could wake on those too.)
   */
  waitForAppend(timeoutMs: number): Promise<void> {
    return this.appended.wait(timeoutMs);
  }

  async isEmpty(): Promise<boolean> {
    return (await this.readAll(START, { limit: 1 })).length === 0;
  }

  /** Reads the last event of $all: one small round trip that needs the server (and read rights on $all). */
  async ping(): Promise<void> {
    const probe = async () => {
      for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })) void resolved;
    };
    await withTimeout(probe(), this.pingTimeoutMs, `KurrentDB did not answer within ${this.pingTimeoutMs} ms`);
  }

  async close(): Promise<void> {
    this.appended.notify();
    if (this.ownsClient) await this.client.dispose();
  }

  /** Events of a stream from a revision on (all of them, or `count`); [] when the stream does not exist. */
  private async readRevisions(streamId: string, fromRevision: bigint, count?: number): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision,
        direction: FORWARDS,
        resolveLinkTos: false,
        // Read-your-writes: a follower may not have the events yet.
        requiresLeader: true,
        ...(count === undefined ? {} : { maxCount: count }),
      })) {
        if (resolved.event) out.push(toRecorded(resolved.event));
      }
    } catch (error) {
      if (errorType(error) === ErrorType.STREAM_NOT_FOUND) return [];
      throw error;
    }
    return out;
  }

  private rememberScan(after: Cursor, scanned: Position): void {
    this.scannedPast.delete(after);
    this.scannedPast.set(after, scanned);
    // A handful of pollers per process: keep the newest entries only.
    for (const key of this.scannedPast.keys()) {
      if (this.scannedPast.size <= 64) break;
      this.scannedPast.delete(key);
    }
  }
}

/** The fields of a KurrentDB recorded event this adapter reads (stream and $all reads alike). */
interface KurrentRecord {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
}

/** Maps our expected version (a count of events) to KurrentDB's stream state (the last revision). */
export function toStreamState(expected: ExpectedVersion): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream' || expected === 0) return NO_STREAM;
  if (!Number.isSafeInteger(expected) || expected < 0) throw new RangeError(`invalid expected version ${String(expected)}`);
  return BigInt(expected - 1);
}

/**
 * The KurrentDB event id for one of ours: a UUID is used as it is; anything else becomes a
 * name-based UUID (RFC 9562 version 8 over SHA-256 of namespace + id). Deterministic, so a retried
 * append carries the same ids and KurrentDB's idempotent-write check can recognise it. SHA-256
 * rather than v5's SHA-1, because colliding ids would make the server drop a write as a duplicate.
 */
export function kurrentEventId(eventId: string): string {
  if (UUID.test(eventId)) return eventId.toLowerCase();
  const bytes = createHash('sha256').update(EVENT_ID_NAMESPACE).update(eventId, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function toEventData(event: NewEvent) {
  return jsonEvent<JSONEventType>({
    id: kurrentEventId(event.eventId),
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata, [LEDGER_EVENT_ID_KEY]: event.eventId },
  });
}

function toRecorded(event: KurrentRecord): RecordedEvent {
  if (!event.position) {
    throw new IllegalState('KurrentDB did not report the event position; EventStoreDB 22.6 or later is required');
  }
  const where = `${event.streamId}@${event.revision}`;
  const { [LEDGER_EVENT_ID_KEY]: ledgerId, ...metadata } = jsonObject(event.metadata ?? {}, event.isJson, `metadata of ${where}`);
  return {
    position: Number(event.position.commit),
    cursor: makeCursor(event.position.commit, event.position.prepare),
    // Events written by other tools carry no ledger id; their KurrentDB id is the best we have.
    eventId: typeof ledgerId === 'string' ? ledgerId : event.id,
    streamId: event.streamId,
    streamVersion: Number(event.revision) + 1,
    type: event.type,
    data: jsonObject(event.data, event.isJson, `data of ${where}`),
    metadata: metadata as EventMetadata,
    recordedAt: event.created.toISOString(),
  };
}

/**
 * The ledger only stores JSON objects; anything else in a non-system stream was written by another
 * tool. Failing loudly beats handing a subscriber something it would mis-seal or silently drop.
 */
function jsonObject(value: unknown, isJson: boolean, what: string): Record<string, unknown> {
  if (isJson && typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)) {
    return value as Record<string, unknown>;
  }
  throw new IllegalState(`${what} is not a JSON object; was it written by something other than the ledger?`);
}

function isSystemEvent(event: { readonly streamId: string; readonly type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

function refuseSystemNames(streamId: string, events: readonly NewEvent[]): void {
  // readAll would hide them, and KurrentDB gives `$` names special meaning.
  if (streamId.startsWith('$')) throw new Invalid(`stream id "${streamId}" is reserved: ids starting with $ are KurrentDB's`);
  events.forEach((event, i) => {
    if (event.type.startsWith('$')) {
      throw new Invalid('event types starting with $ are reserved', [{ pointer: `/${i}/type`, message: 'must not start with $' }]);
    }
    if (LEDGER_EVENT_ID_KEY in event.metadata) {
      throw new Invalid(`metadata key ${LEDGER_EVENT_ID_KEY} is reserved`, [
        { pointer: `/${i}/metadata/${LEDGER_EVENT_ID_KEY}`, message: 'reserved by the event store' },
      ]);
    }
  });
}

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

function errorType(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
}

function translateAppendError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
  if (errorType(error) !== ErrorType.WRONG_EXPECTED_VERSION) return error;
  const actual = (error as { actualState?: unknown }).actualState;
  // actualState is the current last revision, or 'no_stream'; ours is the count of events.
  const version = typeof actual === 'bigint' && actual >= 0n ? Number(actual) + 1 : null;
  return new WrongExpectedVersion(streamId, expected, version);
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
