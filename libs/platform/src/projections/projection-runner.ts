import type { Cursor, EventStore } from '#kernel';
import { compareCursors, START } from '#kernel';
import { CatchUpSubscription } from '#event-store';
import type { SqlDatabase } from '#event-store';
import type { Projection } from './projection.js';

const CHECKPOINT_SCHEMA = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name text PRIMARY KEY,
  cursor text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);`;

const SAVE_CHECKPOINT = `
INSERT INTO projection_checkpoints (name, cursor, updated_at) VALUES ($1, $2, now())
ON CONFLICT (name) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`;

/** How long a projection that only skips events may leave its stored checkpoint behind. */
const IDLE_CHECKPOINT_MS = 5000;

export interface ProjectionStatus {
  readonly name: string;
  readonly cursor: Cursor | null;
  readonly error: string | null;
}

/** Runs each projection on its own catch-up subscription and checkpoint. */
export class ProjectionRunner {
  private readonly subscriptions = new Map<string, CatchUpSubscription>();

  constructor(
    private readonly store: EventStore,
    private readonly db: SqlDatabase,
    private readonly projections: readonly Projection[],
    private readonly onError: (projection: string, error: unknown) => void = () => undefined,
  ) {
    const names = new Set(projections.map((p) => p.name));
    if (names.size !== projections.length) throw new Error('projection names must be unique');
  }

  async start(): Promise<void> {
    await this.db.exec(CHECKPOINT_SCHEMA);
    for (const projection of this.projections) {
      await this.db.exec(projection.schema);
      this.startOne(projection);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.subscriptions.values()].map((s) => s.stop()));
    this.subscriptions.clear();
  }

  /** Empties the read model and replays the whole log into it. */
  async rebuild(name: string): Promise<void> {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new RangeError(`unknown projection ${name}`);
    await this.subscriptions.get(name)?.stop();
    await this.db.transaction(async (tx) => {
      for (const table of projection.tables) await tx.query(`DELETE FROM ${table}`);
      await tx.query('DELETE FROM projection_checkpoints WHERE name = $1', [name]);
    });
    this.startOne(projection);
    await this.subscriptions.get(name)!.caughtUp();
  }

  /**
   * Resolves once every projection (or those named in `only`) has applied everything up to
   * `cursor`, so a caller reads its own writes. Gives up silently after `timeoutMs` (reads are
   * then merely stale).
   */
  async waitFor(cursor: Cursor, timeoutMs = 2000, only?: readonly string[]): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const watched = [...this.subscriptions].filter(([name]) => !only || only.includes(name)).map(([, s]) => s);
    for (;;) {
      const behind = watched.some((s) => s.position === null || compareCursors(s.position, cursor) < 0);
      if (!behind) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  status(): ProjectionStatus[] {
    return this.projections.map((p) => {
      const s = this.subscriptions.get(p.name);
      return { name: p.name, cursor: s?.position ?? null, error: s?.error ? (s.error instanceof Error ? s.error.message : JSON.stringify(s.error)) : null };
    });
  }

  private startOne(projection: Projection): void {
    const types = projection.eventTypes ? new Set(projection.eventTypes) : null;
    let savedAt = Date.now();
    const subscription = new CatchUpSubscription(this.store, {
      from: async () => {
        const rows = await this.db.query<{ cursor: string }>('SELECT cursor FROM projection_checkpoints WHERE name = $1', [projection.name]);
        return rows[0]?.cursor ?? START;
      },
      ...(projection.eventTypes ? { onlyDataOf: projection.eventTypes } : {}),
      handle: async (batch) => {
        const end = batch[batch.length - 1]!.cursor;
        const relevant = types ? batch.filter((e) => types.has(e.type)) : batch;
        if (relevant.length === 0) {
          // Nothing to apply: the checkpoint may lag (a restart re-reads only events it skips
          // again), so it is written now and then rather than once per batch.
          if (Date.now() - savedAt >= IDLE_CHECKPOINT_MS) {
            await this.db.query(SAVE_CHECKPOINT, [projection.name, end]);
            savedAt = Date.now();
          }
          return;
        }
        // Not durable: the read model and its checkpoint are lost together or not at all, and
        // replayed from the store, so no commit here needs to wait for a WAL flush.
        await this.db.transaction(
          async (tx) => {
            if (projection.applyBatch) await projection.applyBatch(tx, relevant);
            else for (const event of relevant) await projection.apply(tx, event);
            await tx.query(SAVE_CHECKPOINT, [projection.name, end]);
          },
          { durable: false },
        );
        savedAt = Date.now();
      },
      onError: (error) => this.onError(projection.name, error),
    });
    this.subscriptions.set(projection.name, subscription);
    subscription.start();
  }
}
