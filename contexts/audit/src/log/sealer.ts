import type { KeyObject } from 'node:crypto';
import type { Clock, Cursor, EventStore, RecordedEvent } from '#kernel';
import { systemClock } from '#kernel';
import { leafHashOfEvent } from './canonical-leaf.js';
import { type SignedCheckpoint, createCheckpoint, emptyRoot } from '#transparency-log';
import { LogIntegrityError, type SealedLog } from './sealed-log.js';
import type { LeaderLock, LeaderRole } from '#event-store';
import { LeaderSubscription } from '#event-store';

export interface SealerOptions {
  readonly store: EventStore;
  /** The log to grow; its trust (public key, origin) must match `signingKey` and `origin`. */
  readonly log: SealedLog;
  readonly signingKey: KeyObject;
  readonly origin: string;
  readonly clock?: Clock;
  /** One active sealer per log: see `sealerLock` in audit-log.module.ts. */
  readonly lock: LeaderLock;
  /** Most events per batch (and per checkpoint). */
  readonly batchSize?: number;
  /** After a batch smaller than batchSize, wait until this long after it started before the next one. */
  readonly batchIntervalMs?: number;
  /** How long to wait for appends before polling again (appends by other processes wake nobody). */
  readonly pollMs?: number;
  /** How often a standby sealer tries the lock. */
  readonly lockRetryMs?: number;
  readonly onError?: (error: unknown) => void;
  readonly onSealed?: (checkpoint: SignedCheckpoint, events: number, milliseconds: number) => void;
}

export type SealerState = 'stopped' | 'standby' | 'sealing' | 'halted';

export interface SealerStatus {
  readonly state: SealerState;
  /** Size of the last committed checkpoint this sealer knows of. */
  readonly treeSize: number;
  /** Last error: transient ones clear after the next good batch; `halted` keeps its cause. */
  readonly error: string | null;
  /** Times this sealer lost its lock (its connection died) and went back to standing by. */
  readonly lockLosses: number;
}

/**
 * Seals the store's global order into the RFC 6962 log: each event's canonical bytes (RFC 8785,
 * see canonical-leaf.ts) become the next leaf; after each batch a checkpoint over the new tree is
 * signed (C2SP signed note), and leaves, checkpoint and cursor commit in one transaction. It is a
 * subscriber like any projection, so appends never wait for it.
 *
 * Crash safety: the cursor moves only with the leaves, so a batch is sealed entirely or not at
 * all; after any error the subscription restarts from the stored cursor and the tree is brought
 * back to the stored leaves. One sealer per log: the lock picks it; the sealer row's tree size is
 * also checked on every commit, so even two sealers at once could not fork the log.
 * Integrity failures (a stored log that contradicts its signed checkpoint, a different key or
 * origin) halt the sealer instead of signing over them, and so does an event it cannot turn into
 * a leaf: the log must never skip one, so it stops before it, with the event named in its status.
 */
export class Sealer {
  private readonly clock: Clock;
  private readonly batchSize: number;
  private readonly batchIntervalMs: number;
  private readonly runner: LeaderSubscription;
  private committedSize = 0;
  private lastError: string | null = null;

  constructor(private readonly options: SealerOptions) {
    this.clock = options.clock ?? systemClock;
    this.batchSize = options.batchSize ?? 1000;
    this.batchIntervalMs = options.batchIntervalMs ?? 250;
    this.runner = new LeaderSubscription(options.store, {
      lock: options.lock,
      from: () => this.resume(),
      handle: (batch) => this.handle(batch),
      batchSize: this.batchSize,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      ...(options.lockRetryMs !== undefined ? { standbyRetryMs: options.lockRetryMs } : {}),
      onError: (error) => this.failed(error),
      ...(options.onError ? { onLockError: options.onError } : {}),
    });
  }

  get status(): SealerStatus {
    const runnerError = this.runner.error;
    const error = this.lastError ?? (runnerError ? describeError(runnerError) : null);
    return { state: STATES[this.runner.role], treeSize: this.committedSize, error, lockLosses: this.runner.lockLosses };
  }

  /** Starts sealing (or standing by for the lock) in the background. */
  start(): void {
    this.runner.start();
  }

  /** Finishes the batch in hand, releases the lock and stops. */
  async stop(): Promise<void> {
    await this.runner.stop();
  }

  /** Resolves once `treeSize` events are sealed (or rejects after `timeoutMs`). */
  async waitForTreeSize(treeSize: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.committedSize < treeSize) {
      if (this.runner.role === 'halted') throw new Error(`the sealer halted: ${this.lastError ?? 'unknown cause'}`);
      if (Date.now() > deadline)
        throw new Error(`the log reached tree size ${this.committedSize}, not ${treeSize}, within ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  private failed(error: unknown): void {
    this.options.onError?.(error);
    if (error instanceof LogIntegrityError || error instanceof UnsealableEvent) {
      this.lastError = error.message;
      this.runner.halt(error);
    }
  }

  /**
   * Where to continue: brings the tree to the stored leaves and checks them against the latest
   * checkpoint (signature, origin, root) before signing anything more over them.
   */
  private resume(): Promise<Cursor> {
    const { log, signingKey, origin } = this.options;
    return log.exclusive(async () => {
      let state = await log.store.sealerState();
      if (state === null) {
        await log.store.initialize(
          createCheckpoint({ origin, treeSize: 0, rootHash: emptyRoot(), timestamp: this.clock.now() }, signingKey),
        );
        state = await log.store.sealerState();
        if (state === null) throw new Error('the sealer row was not created');
      }
      if (log.tree.size > state.treeSize) log.tree.truncate(state.treeSize);
      await log.loadTo(state.treeSize);
      const latest = await log.store.latestCheckpoint();
      if (latest === null || latest.treeSize !== state.treeSize) {
        throw new LogIntegrityError(
          `the audit log's sealer is at tree size ${state.treeSize} but its latest checkpoint is at ${latest?.treeSize ?? 'none'}`,
        );
      }
      log.check(latest);
      this.committedSize = state.treeSize;
      return state.cursor;
    });
  }

  private async handle(batch: readonly RecordedEvent[]): Promise<void> {
    const started = Date.now();
    await this.seal(batch);
    this.lastError = null;
    // Under a trickle of appends, let a few accumulate rather than sign a checkpoint for each.
    if (batch.length < this.batchSize) await this.runner.pause(this.batchIntervalMs - (Date.now() - started));
  }

  private seal(batch: readonly RecordedEvent[]): Promise<void> {
    const { log, signingKey, origin } = this.options;
    return log.exclusive(async () => {
      const started = Date.now();
      const tree = log.tree;
      const fromSize = tree.size;
      if (fromSize !== this.committedSize) throw new Error(`internal error: tree at ${fromSize}, log at ${this.committedSize}`);
      // The events before one that cannot become a leaf are sealed; the sealer then halts before it.
      const leaves: { position: number; eventId: string; leafHash: Uint8Array }[] = [];
      let unsealable: UnsealableEvent | null = null;
      for (const event of batch) {
        const leafHash = leafOf(event);
        if (leafHash instanceof UnsealableEvent) {
          unsealable = leafHash;
          break;
        }
        tree.append(leafHash);
        leaves.push({ position: event.position, eventId: event.eventId, leafHash });
      }
      if (leaves.length > 0) {
        try {
          const checkpoint = createCheckpoint(
            { origin, treeSize: tree.size, rootHash: tree.root(), timestamp: this.clock.now() },
            signingKey,
          );
          await log.store.commitBatch({ fromSize, leaves, checkpoint, cursor: batch[leaves.length - 1]!.cursor });
          log.accept(checkpoint);
          this.committedSize = checkpoint.treeSize;
          this.options.onSealed?.(checkpoint, leaves.length, Date.now() - started);
        } catch (error) {
          // Whether or not the commit happened, resume() re-reads the stored state before going on.
          tree.truncate(fromSize);
          throw error;
        }
      }
      if (unsealable) throw unsealable;
    });
  }
}

/** An event whose canonical bytes cannot be made (see canonical-leaf.ts): the sealer halts before it rather than skip it. */
export class UnsealableEvent extends Error {
  override readonly name = 'UnsealableEvent';
  constructor(event: RecordedEvent, cause: unknown) {
    super(
      `event ${event.eventId} (${event.type}, stream ${event.streamId} version ${event.streamVersion}, position ${event.position}) ` +
        `cannot be sealed: ${describeError(cause)}. The sealer stopped before it and seals nothing more until it is fixed: the log never skips an event`,
      { cause },
    );
  }
}

function leafOf(event: RecordedEvent): Uint8Array | UnsealableEvent {
  try {
    return leafHashOfEvent(event);
  } catch (error) {
    return new UnsealableEvent(event, error);
  }
}

const STATES = { stopped: 'stopped', standby: 'standby', active: 'sealing', halted: 'halted' } as const satisfies Record<
  LeaderRole,
  SealerState
>;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
