import type { KeyObject } from 'node:crypto';
import type { Clock, Cursor, EventStore, RecordedEvent } from '#kernel';
import { systemClock } from '#kernel';
import { CatchUpSubscription } from '../event-store/catch-up-subscription.js';
import { leafHashOfEvent } from './canonical-leaf.js';
import { type SignedCheckpoint, createCheckpoint } from './checkpoint.js';
import { emptyRoot } from './merkle-hash.js';
import { LogIntegrityError, type SealedLog } from './sealed-log.js';
import type { HeldLock, SealerLock } from './sealer-lock.js';
import { InProcessLock } from './sealer-lock.js';

export interface SealerOptions {
  readonly store: EventStore;
  /** The log to grow; its trust (public key, origin) must match `signingKey` and `origin`. */
  readonly log: SealedLog;
  readonly signingKey: KeyObject;
  readonly origin: string;
  readonly clock?: Clock;
  /** Default: one sealer per database object in this process (right for PGlite only). */
  readonly lock?: SealerLock;
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
 * origin) halt the sealer instead of signing over them.
 */
export class Sealer {
  private readonly clock: Clock;
  private readonly lock: SealerLock;
  private readonly batchSize: number;
  private readonly batchIntervalMs: number;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: () => void = () => undefined;
  private stopSignal: Promise<void> = Promise.resolve();
  private subscription: CatchUpSubscription | null = null;
  private state: SealerState = 'stopped';
  private committedSize = 0;
  private lastError: string | null = null;
  private lockLosses = 0;
  private haltCause: unknown = null;
  private haltedSignal: { promise: Promise<void>; fire: () => void } = signal();

  constructor(private readonly options: SealerOptions) {
    this.clock = options.clock ?? systemClock;
    this.lock = options.lock ?? new InProcessLock(options.log.store.db);
    this.batchSize = options.batchSize ?? 1000;
    this.batchIntervalMs = options.batchIntervalMs ?? 250;
  }

  get status(): SealerStatus {
    const subscriptionError = this.subscription?.error;
    const error = this.lastError ?? (subscriptionError ? describeError(subscriptionError) : null);
    return { state: this.state, treeSize: this.committedSize, error, lockLosses: this.lockLosses };
  }

  /** Starts sealing (or standing by for the lock) in the background. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.haltCause = null;
    this.stopSignal = new Promise((resolve) => (this.wake = resolve));
    this.loop = this.run();
  }

  /** Finishes the batch in hand, releases the lock and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    this.loop = null;
    if (this.state !== 'halted') this.state = 'stopped';
  }

  /** Resolves once `treeSize` events are sealed (or rejects after `timeoutMs`). */
  async waitForTreeSize(treeSize: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.committedSize < treeSize) {
      if (this.state === 'halted') throw new Error(`the sealer halted: ${this.lastError ?? 'unknown cause'}`);
      if (Date.now() > deadline) throw new Error(`the log reached tree size ${this.committedSize}, not ${treeSize}, within ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let held: HeldLock | null = null;
      try {
        held = await this.lock.tryAcquire();
        this.lastError = null;
      } catch (error) {
        this.lastError = `cannot take the sealer lock: ${describeError(error)}`;
        this.options.onError?.(error);
      }
      if (held === null) {
        this.state = 'standby';
        await this.pause(this.options.lockRetryMs ?? 5000);
        continue;
      }
      this.state = 'sealing';
      this.haltedSignal = signal();
      const subscription = new CatchUpSubscription(this.options.store, {
        from: () => this.resume(),
        handle: (batch) => this.handle(batch),
        batchSize: this.batchSize,
        pollMs: this.options.pollMs,
        onError: (error) => this.failed(error),
      });
      this.subscription = subscription;
      subscription.start();
      await Promise.race([held.lost, this.stopSignal, this.haltedSignal.promise]);
      await subscription.stop();
      this.subscription = null;
      await held.release();
      if (this.haltCause !== null) {
        this.state = 'halted';
        return;
      }
      if (!this.stopping) {
        // Another process may hold the lock now: standing by is healthy, so this is no error. Back off
        // before trying again, so a standby takes over rather than a flapping connection winning it back.
        this.lockLosses++;
        this.state = 'standby';
        await this.pause(this.options.lockRetryMs ?? 5000);
      }
    }
  }

  private failed(error: unknown): void {
    this.options.onError?.(error);
    if (error instanceof LogIntegrityError) {
      this.haltCause = error;
      this.lastError = error.message;
      this.haltedSignal.fire();
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
        await log.store.initialize(createCheckpoint({ origin, treeSize: 0, rootHash: emptyRoot(), timestamp: this.clock.now() }, signingKey));
        state = await log.store.sealerState();
        if (state === null) throw new Error('the sealer row was not created');
      }
      if (log.tree.size > state.treeSize) log.tree.truncate(state.treeSize);
      await log.loadTo(state.treeSize);
      const latest = await log.store.latestCheckpoint();
      if (latest === null || latest.treeSize !== state.treeSize) {
        throw new LogIntegrityError(`the audit log's sealer is at tree size ${state.treeSize} but its latest checkpoint is at ${latest?.treeSize ?? 'none'}`);
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
    if (batch.length < this.batchSize) await this.pause(this.batchIntervalMs - (Date.now() - started));
  }

  private seal(batch: readonly RecordedEvent[]): Promise<void> {
    const { log, signingKey, origin } = this.options;
    return log.exclusive(async () => {
      const started = Date.now();
      const tree = log.tree;
      const fromSize = tree.size;
      if (fromSize !== this.committedSize) throw new Error(`internal error: tree at ${fromSize}, log at ${this.committedSize}`);
      const leaves = batch.map((event) => {
        const leafHash = leafHashOfEvent(event);
        tree.append(leafHash);
        return { position: event.position, eventId: event.eventId, leafHash };
      });
      try {
        const checkpoint = createCheckpoint({ origin, treeSize: tree.size, rootHash: tree.root(), timestamp: this.clock.now() }, signingKey);
        await log.store.commitBatch({ fromSize, leaves, checkpoint, cursor: batch[batch.length - 1]!.cursor });
        log.accept(checkpoint);
        this.committedSize = checkpoint.treeSize;
        this.options.onSealed?.(checkpoint, batch.length, Date.now() - started);
      } catch (error) {
        // Whether or not the commit happened, resume() re-reads the stored state before going on.
        tree.truncate(fromSize);
        throw error;
      }
    });
  }

  private async pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopping) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.stopSignal, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }
}

function signal(): { promise: Promise<void>; fire: () => void } {
  let fire: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
