import type { Cursor, EventStore } from '#kernel';
import type { CatchUpOptions } from './catch-up-subscription.js';
import { CatchUpSubscription } from './catch-up-subscription.js';
import type { HeldLock, LeaderLock } from './leader-lock.js';

/** How soon a runner asks again for a lock it could not ask for (its database away). */
const LOCK_ERROR_RETRY_MS = 1000;

export type LeaderRole = 'stopped' | 'standby' | 'active' | 'halted';

export interface LeaderSubscriptionOptions extends CatchUpOptions {
  /** Picks the one active runner among replicas; the others stand by. */
  readonly lock: LeaderLock;
  /** How often a standby tries the lock, and how long it waits after losing it. */
  readonly standbyRetryMs?: number;
  readonly onRoleChange?: (role: LeaderRole) => void;
  /** The lock could not be asked (its database is away); retried after `standbyRetryMs`. */
  readonly onLockError?: (error: unknown) => void;
}

/**
 * The one loop of every single-runner subscriber (sealer, relay, projections across replicas):
 * take the lock or stand by; while holding it, follow the store from the subscriber's checkpoint;
 * when the lock is lost (its connection died), stop, back off and stand by again, so a standby
 * takes over rather than a flapping connection winning it back. `halt` stops for good: for
 * failures that retrying cannot mend, such as a log that contradicts its signed checkpoint.
 */
export class LeaderSubscription {
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: () => void = () => undefined;
  private stopSignal: Promise<void> = Promise.resolve();
  private halted = signal();
  private subscription: CatchUpSubscription | null = null;
  private currentRole: LeaderRole = 'stopped';
  private lastPosition: Cursor | null = null;
  private cause: unknown = null;
  private losses = 0;
  private lockProblem: unknown = null;

  constructor(
    private readonly store: EventStore,
    private readonly options: LeaderSubscriptionOptions,
  ) {}

  get role(): LeaderRole {
    return this.currentRole;
  }

  /** Where the active subscription is, or was when it last ran. */
  get position(): Cursor | null {
    return this.subscription?.position ?? this.lastPosition;
  }

  /** The subscription's last handler error (cleared by the next good batch), else a failure to ask for the lock. */
  get error(): unknown {
    return this.subscription?.error ?? this.lockProblem;
  }

  /** Why `halt` was called, while halted. */
  get haltCause(): unknown {
    return this.cause;
  }

  /** Times this runner lost its lock and went back to standing by. */
  get lockLosses(): number {
    return this.losses;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.cause = null;
    this.stopSignal = new Promise((resolve) => (this.wake = resolve));
    this.loop = this.run();
  }

  /** Finishes the batch in hand, releases the lock and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    this.loop = null;
    if (this.currentRole !== 'halted') this.setRole('stopped');
  }

  /** Stops following the store and releases the lock, staying `halted` until started again. */
  halt(cause: unknown): void {
    this.cause = cause;
    this.halted.fire();
  }

  /** Waits `ms`, or less if the subscriber is stopped meanwhile. */
  async pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopping) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.stopSignal, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    const retryMs = this.options.standbyRetryMs ?? 5000;
    while (!this.stopping) {
      let held: HeldLock | null = null;
      try {
        held = await this.options.lock.tryAcquire();
        this.lockProblem = null;
      } catch (error) {
        this.lockProblem = new Error(`cannot take the lock: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        this.options.onLockError?.(error);
      }
      if (held === null) {
        this.setRole('standby');
        // The lock's database away: ask again soon, so the runner is back within a second of it.
        await this.pause(this.lockProblem ? Math.min(retryMs, LOCK_ERROR_RETRY_MS) : retryMs);
        continue;
      }
      if (this.stopping) {
        await held.release().catch(() => undefined);
        break;
      }
      this.halted = signal();
      this.setRole('active');
      const subscription = new CatchUpSubscription(this.store, this.options);
      this.subscription = subscription;
      subscription.start();
      const lost = await Promise.race([
        held.lost.then(() => true),
        this.stopSignal.then(() => false),
        this.halted.promise.then(() => false),
      ]);
      await subscription.stop();
      this.lastPosition = subscription.position ?? this.lastPosition;
      this.subscription = null;
      await held.release().catch(() => undefined);
      if (this.cause !== null) {
        this.setRole('halted');
        return;
      }
      if (lost && !this.stopping) {
        this.losses++;
        this.setRole('standby');
        await this.pause(retryMs);
      }
    }
  }

  private setRole(role: LeaderRole): void {
    if (role === this.currentRole) return;
    this.currentRole = role;
    this.options.onRoleChange?.(role);
  }
}

function signal(): { promise: Promise<void>; fire: () => void } {
  let fire: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}
