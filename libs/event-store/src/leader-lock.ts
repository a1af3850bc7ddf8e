/** A lock this process holds until `release`, or until `lost` resolves (its connection died). */
export interface HeldLock {
  readonly lost: Promise<unknown>;
  release(): Promise<void>;
}

/** Exactly one runner of a single-runner subscriber (sealer, relay, projections): whoever holds the lock runs; the others stand by. */
export interface LeaderLock {
  /** Takes the lock if free; null when another process holds it. */
  tryAcquire(): Promise<HeldLock | null>;
}

/**
 * Advisory-lock keys, one per kind of single runner (any fixed bigints no other code uses). The
 * values are kept as first deployed: a changed key would let an old and a new runner both run.
 */
export const LEADER_LOCK_KEYS = {
  auditLogSealer: '7308604897068083573',
  integrationEventRelay: '7308604897068083574',
  projections: '7308604897068083575',
} as const;
