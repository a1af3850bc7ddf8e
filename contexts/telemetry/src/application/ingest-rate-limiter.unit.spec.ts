import { IngestRateLimiter, RateLimited } from './ingest-rate-limiter.js';

const retryAfter = (work: () => void): number | null => {
  try {
    work();
    return null;
  } catch (error) {
    if (error instanceof RateLimited) return error.retryAfterSeconds;
    throw error;
  }
};

describe('ingest rate limiter (token bucket per principal)', () => {
  it('admits a burst, then refuses with the seconds until enough tokens flowed back', () => {
    const limiter = new IngestRateLimiter(10, 20);
    expect(retryAfter(() => limiter.take('ci', 20, 0))).toBeNull();
    expect(retryAfter(() => limiter.take('ci', 5, 0))).toBe(1);
    expect(retryAfter(() => limiter.take('ci', 5, 500))).toBeNull();
    expect(retryAfter(() => limiter.take('ci', 15, 500))).toBe(2);
  });

  it('keeps principals apart', () => {
    const limiter = new IngestRateLimiter(1, 2);
    limiter.take('a', 2, 0);
    expect(retryAfter(() => limiter.take('a', 1, 0))).toBe(1);
    expect(retryAfter(() => limiter.take('b', 2, 0))).toBeNull();
  });

  it('admits a batch larger than the burst from a full bucket, then makes the caller repay it', () => {
    const limiter = new IngestRateLimiter(100, 100);
    expect(retryAfter(() => limiter.take('ci', 300, 0))).toBeNull();
    expect(retryAfter(() => limiter.take('ci', 1, 1000))).toBe(2);
    expect(retryAfter(() => limiter.take('ci', 1, 2010))).toBeNull();
  });

  it('never limits when the rate is 0', () => {
    const limiter = new IngestRateLimiter(0, 1);
    expect(() => {
      for (let i = 0; i < 1000; i++) limiter.take('ci', 100, 0);
    }).not.toThrow();
  });
});
