import type { RecordedEvent } from '#kernel';
import type { SqlExecutor } from '#event-store';

/**
 * A read model fed from the global event order. `apply` runs inside the transaction that also
 * stores the projection's checkpoint, so a crash never applies an event twice or loses one.
 */
export interface Projection {
  readonly name: string;
  /** Idempotent DDL creating the read-model tables. */
  readonly schema: string;
  /** Tables emptied when the projection is rebuilt from zero. */
  readonly tables: readonly string[];
  /**
   * Optional: the event types `apply` acts on. When given, the runner reads only their bodies and
   * passes only them; a stretch of the log without any of them costs no read-model transaction.
   */
  readonly eventTypes?: readonly string[];
  apply(tx: SqlExecutor, event: RecordedEvent): Promise<void>;
  /**
   * Optional: applies a batch in fewer statements, used instead of `apply` when present. It must
   * leave the same rows as applying the events one by one, however the log is cut into batches.
   */
  applyBatch?(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void>;
}
