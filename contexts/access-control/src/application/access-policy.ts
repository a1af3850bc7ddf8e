import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '#kernel';
import { Forbidden } from '#kernel';
import type { AuthenticatedPrincipal } from '#platform';
import { CLOCK } from '#platform';
import { EVERY_PROJECT } from '../domain/roles.js';
import { AccessControlQueries } from '../read-models/access-control.queries.js';

/**
 * Administrative actions of this context: only a platform admin of the project concerned
 * (or of every project) may take them. Callers may always manage their own tokens.
 */
@Injectable()
export class AccessPolicy {
  constructor(
    private readonly queries: AccessControlQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async requirePlatformAdmin(principal: AuthenticatedPrincipal, project: string, action: string): Promise<void> {
    const grants = await this.queries.activeGrants(principal.id, this.clock.now());
    const allowed = grants.some((g) => g.role === 'platform-admin' && (g.project === EVERY_PROJECT || g.project === project));
    if (!allowed) {
      throw new Forbidden(`${action} needs the platform-admin role on project "${project}"`, 'rbac.platform-admin-required');
    }
  }

  async requireSelfOrAdmin(principal: AuthenticatedPrincipal, principalId: string, action: string): Promise<void> {
    if (principal.id === principalId) return;
    await this.requirePlatformAdmin(principal, EVERY_PROJECT, action);
  }
}
