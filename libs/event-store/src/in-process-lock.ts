import type { HeldLock, LeaderLock } from './leader-lock.js';

const never = new Promise<never>(() => undefined);

/**
 * For a database only this process can open (PGlite): one runner per database object and key. A
 * second runner in the same process waits, exactly as a second process would on PostgreSQL.
 */
export class InProcessLock implements LeaderLock {
  private static readonly held = new WeakMap<object, Set<string>>();

  constructor(
    private readonly resource: object,
    private readonly key = 'default',
  ) {}

  async tryAcquire(): Promise<HeldLock | null> {
    await Promise.resolve();
    const keys = InProcessLock.held.get(this.resource) ?? new Set<string>();
    if (keys.has(this.key)) return null;
    keys.add(this.key);
    InProcessLock.held.set(this.resource, keys);
    const key = this.key;
    return {
      lost: never,
      async release() {
        keys.delete(key);
      },
    };
  }
}
