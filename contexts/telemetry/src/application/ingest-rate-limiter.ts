/** Refused for now; `retryAfterSeconds` says when the same request would pass. */
export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`CDEvents ingest rate limit reached; retry after ${retryAfterSeconds} s`);
    this.name = 'RateLimited';
  }
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * A token bucket per principal, counted in events: `ratePerSecond` tokens flow in up to `burst`.
 * A request of n events passes when the bucket holds min(n, burst) tokens and then takes all n,
 * so a batch larger than the burst is admitted from a full bucket and repaid before the next.
 * In memory, per process: each app instance limits on its own.
 */
export class IngestRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes `events` tokens for `principalId` or throws RateLimited. A rate of 0 means unlimited. */
  take(principalId: string, events: number, nowMs: number): void {
    if (this.ratePerSecond <= 0 || events <= 0) return;
    const bucket = this.refill(principalId, nowMs);
    const needed = Math.min(events, this.burst);
    if (bucket.tokens < needed) {
      throw new RateLimited(Math.max(1, Math.ceil((needed - bucket.tokens) / this.ratePerSecond)));
    }
    bucket.tokens -= events;
  }

  private refill(principalId: string, nowMs: number): Bucket {
    let bucket = this.buckets.get(principalId);
    if (!bucket) {
      if (this.buckets.size >= 10_000) this.forgetFull(nowMs);
      bucket = { tokens: this.burst, updatedMs: nowMs };
      this.buckets.set(principalId, bucket);
      return bucket;
    }
    const elapsedSeconds = Math.max(0, nowMs - bucket.updatedMs) / 1000;
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsedSeconds * this.ratePerSecond);
    bucket.updatedMs = nowMs;
    return bucket;
  }

  /** A full bucket is the same as none: dropping them bounds memory. */
  private forgetFull(nowMs: number): void {
    for (const [id, bucket] of this.buckets) {
      if (bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * this.ratePerSecond >= this.burst) this.buckets.delete(id);
    }
  }
}
