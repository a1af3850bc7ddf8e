import type { Cursor } from '#kernel';
import type { ProjectionRunner } from '#platform';
import type { AccessControlQueries, GrantFact } from '../../read-models/access-control.queries.js';
import type { AccessChangeFeed } from './access-change-feed.js';
import { principalKey, projectKey } from './access-change-feed.js';

/** What the decision point needs to know besides the request: grants and project settings. */
export interface AccessFacts {
  /**
   * Grants not revoked (expired ones included: expiry is judged at decision time). The array is
   * never changed after it is handed out; while nothing changed the same array may come back,
   * and callers may memoise on its identity.
   */
  grantsOf(principalId: string): Promise<readonly GrantFact[]>;
  /** The project's production environments (the defaults for a project never configured). */
  productionEnvironments(projectId: string): Promise<readonly string[]>;
}

const MAX_ENTRIES = 10_000;
const PROJECTION = 'access-control';

/**
 * Facts from the access read model, cached in memory and dropped as soon as the projection
 * applies an event that concerns them (see AccessChangeFeed), so a revocation counts at once.
 */
export class CachedAccessFacts implements AccessFacts {
  private readonly grants = new Map<string, { value: readonly GrantFact[]; loadedAt: Cursor }>();
  private readonly environments = new Map<string, { value: readonly string[]; loadedAt: Cursor }>();

  constructor(
    private readonly queries: AccessControlQueries,
    private readonly runner: ProjectionRunner,
    private readonly feed: AccessChangeFeed,
  ) {}

  grantsOf(principalId: string): Promise<readonly GrantFact[]> {
    return this.cached(this.grants, principalKey(principalId), () => this.queries.grantsOf(principalId), principalId);
  }

  productionEnvironments(projectId: string): Promise<readonly string[]> {
    return this.cached(this.environments, projectKey(projectId), () => this.queries.productionEnvironments(projectId), projectId);
  }

  private async cached<T>(cache: Map<string, { value: T; loadedAt: Cursor }>, key: string, load: () => Promise<T>, id: string): Promise<T> {
    const entry = cache.get(id);
    if (entry && this.feed.fresh(key, entry.loadedAt)) return entry.value;
    // Read the committed position before the rows: rows are at least as new as it.
    const loadedAt = this.runner.status().find((s) => s.name === PROJECTION)?.cursor ?? null;
    const value = await load();
    if (loadedAt !== null) {
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(id, { value, loadedAt });
    }
    return value;
  }
}
