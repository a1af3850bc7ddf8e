import type { Cursor, EventStore, RecordedEvent } from '#kernel';
import type { EventQuarantine, QuarantinedEvent, SqlDatabase, SqlExecutor } from '#event-store';
import { mayBeTheEventsFault } from '#event-store';
import type { Projection } from './projection.js';

/** The name under which a projection version's quarantined events are kept (as its lock connection is named). */
export function projectionSubscriber(projection: Pick<Projection, 'name' | 'version'>): string {
  return `projection:${projection.name}:v${projection.version}`;
}

export interface QuarantineContext {
  readonly db: SqlDatabase;
  readonly projection: Projection;
  readonly quarantine: EventQuarantine;
  /** Moves the stored checkpoint from `from` to `to` in `tx`, or throws when it is not at `from`. */
  readonly saveCheckpoint: (tx: SqlExecutor, from: Cursor, to: Cursor) => Promise<void>;
  readonly onQuarantined?: (event: RecordedEvent, error: unknown) => void;
}

/**
 * The slow path after a batch failed: one transaction per event, each moving the checkpoint past
 * it. An event that fails twice for a reason that may be its own, while the database answers, is
 * quarantined (with the checkpoint, so it is set aside exactly once) and the rest go on. Any other
 * failure is rethrown and the subscription retries from the checkpoint reached so far.
 * `reached` is told of each step, so the caller always knows where the stored checkpoint is.
 */
export async function applyOneByOne(
  context: QuarantineContext,
  events: readonly RecordedEvent[],
  from: Cursor,
  end: Cursor,
  reached: (cursor: Cursor) => void,
): Promise<void> {
  const { db, projection, quarantine, saveCheckpoint } = context;
  let at = from;
  const applyAlone = (event: RecordedEvent) =>
    db.transaction(
      async (tx) => {
        await projection.apply(tx, event);
        await saveCheckpoint(tx, at, event.cursor);
      },
      { durable: false },
    );
  for (const event of events) {
    try {
      await applyAlone(event);
    } catch (first) {
      if (!mayBeTheEventsFault(first)) throw first;
      await db.query('SELECT 1'); // the database answers, so the failure was not its absence…
      try {
        await applyAlone(event); // …and not a passing one either, if it happens again.
      } catch (again) {
        if (!mayBeTheEventsFault(again)) throw again;
        await db.transaction(async (tx) => {
          await quarantine.add(tx, projectionSubscriber(projection), event, again);
          await saveCheckpoint(tx, at, event.cursor);
        });
        context.onQuarantined?.(event, again);
      }
    }
    at = event.cursor;
    reached(at);
  }
  if (at !== end) {
    await db.transaction((tx) => saveCheckpoint(tx, at, end), { durable: false });
    reached(end);
  }
}

export interface ReplayResult {
  readonly replayed: number;
  readonly remaining: readonly QuarantinedEvent[];
}

/**
 * Applies the projection's quarantined events again, oldest first, each in a transaction of its
 * own that also deletes its quarantine row; one that still fails stays, with its newest error.
 * They are applied after later events were: for read models that depend on order, rebuild instead.
 */
export async function replayQuarantined(
  context: Pick<QuarantineContext, 'db' | 'projection' | 'quarantine'>,
  store: EventStore,
  lockDdl: (tx: SqlExecutor) => Promise<void>,
): Promise<ReplayResult> {
  const { db, projection, quarantine } = context;
  const subscriber = projectionSubscriber(projection);
  return quarantine.replay(store, subscriber, (event, entry) =>
    db.transaction(async (tx) => {
      await lockDdl(tx); // not while the read model is being rebuilt…
      // …nor after a rebuild cleared the row (the rebuild applies the event itself).
      if (!(await quarantine.remove(tx, subscriber, entry.cursor))) return false;
      await projection.apply(tx, event);
      return true;
    }),
  );
}
