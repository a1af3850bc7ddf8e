import type { Cursor, EventStore, RecordedEvent } from '#kernel';

export interface CatchUpOptions {
  /** Where to start; read once at start (and again after an error), so it can come from a checkpoint table. */
  readonly from: () => Promise<Cursor>;
  /** Handles one batch; the subscription only moves on when it resolves. */
  readonly handle: (batch: readonly RecordedEvent[]) => Promise<void>;
  readonly batchSize?: number;
  /** Passed to readAll: the handler only looks at the bodies of these types. */
  readonly onlyDataOf?: readonly string[];
  /** How long to wait for new events before polling again (other processes may append). */
  readonly pollMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Follows the store's global order from a checkpoint. A failing handler is retried with back-off
 * from the last checkpoint, so nothing is skipped; handlers must therefore be idempotent or
 * commit their checkpoint with their effect.
 */
export class CatchUpSubscription {
  private running = false;
  private loop: Promise<void> | null = null;
  private cursor: Cursor | null = null;
  private lastError: unknown = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly options: CatchUpOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = null;
  }

  get position(): Cursor | null {
    return this.cursor;
  }

  get error(): unknown {
    return this.lastError;
  }

  /** Resolves once the subscription has found nothing more to read (it has caught up). */
  caughtUp(): Promise<void> {
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    let backoffMs = 100;
    while (this.running) {
      try {
        this.cursor ??= await this.options.from();
        const batch = await this.store.readAll(this.cursor, {
          limit: this.options.batchSize ?? 500,
          ...(this.options.onlyDataOf ? { onlyDataOf: this.options.onlyDataOf } : {}),
        });
        if (batch.length === 0) {
          this.idleWaiters.splice(0).forEach((resolve) => resolve());
          await this.store.waitForAppend(this.options.pollMs ?? 200);
          continue;
        }
        await this.options.handle(batch);
        this.cursor = batch[batch.length - 1]!.cursor;
        this.lastError = null;
        backoffMs = 100;
      } catch (error) {
        this.lastError = error;
        this.cursor = null; // re-read the checkpoint: the failed batch may have half-applied elsewhere
        this.options.onError?.(error);
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
