import type { Cursor, EventStore } from '#kernel';
import { parseCursor } from '#kernel';
import type { SqlExecutor } from '#event-store';

/** How many committed events lie after a cursor: a subscriber's lag behind the store head. */
export type BacklogProbe = (after: Cursor) => Promise<number>;

/**
 * For the SQL event store: counts over the commit-order index, up to `cap` (a relay that far behind
 * needs no exact figure, and the count stays cheap).
 */
export function sqlStoreBacklog(db: SqlExecutor, cap = 1_000_000): BacklogProbe {
  return async (after) => {
    const [txn, pos] = parseCursor(after);
    const rows = await db.query<{ behind: number | string }>(
      `SELECT count(*) AS behind FROM (
         SELECT 1 FROM events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) LIMIT $3
       ) AS pending`,
      [txn.toString(), pos.toString(), cap],
    );
    return Number(rows[0]?.behind ?? 0);
  };
}

/** For any store: reads ahead and counts, up to `cap`. */
export function readAheadBacklog(store: EventStore, cap = 10_000): BacklogProbe {
  return async (after) => (await store.readAll(after, { limit: cap })).length;
}
