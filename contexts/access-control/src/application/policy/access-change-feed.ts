import type { Cursor } from '#kernel';
import { compareCursors } from '#kernel';

/**
 * Which keys of the access read model changed, and at which cursor. The projection marks a key
 * while it applies an event; a cached fact is fresh only if it was loaded at or after the
 * projection's committed cursor reached that mark. Shared by every app of the process: a mark
 * from another store can only make a cache reload more often, never serve stale facts.
 */
export class AccessChangeFeed {
  private readonly marks = new Map<string, Cursor>();

  touch(key: string, cursor: Cursor): void {
    const previous = this.marks.get(key);
    if (previous === undefined || compareCursors(cursor, previous) > 0) this.marks.set(key, cursor);
  }

  /** Whether facts loaded when the read model stood at `loadedAt` still hold for `key`. */
  fresh(key: string, loadedAt: Cursor): boolean {
    const mark = this.marks.get(key);
    return mark === undefined || compareCursors(loadedAt, mark) >= 0;
  }
}

export const accessChangeFeed = new AccessChangeFeed();

export const principalKey = (principalId: string) => `principal:${principalId}`;
export const projectKey = (projectId: string) => `project:${projectId}`;
