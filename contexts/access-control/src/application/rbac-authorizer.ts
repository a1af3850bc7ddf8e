import { Inject, Injectable } from '@nestjs/common';
import type { Clock, IdGenerator } from '#kernel';
import { Forbidden } from '#kernel';
import type { AccessDecision, AccessRequest, AuthenticatedPrincipal, Authorizer } from '#platform';
import { CLOCK, ID_GENERATOR } from '#platform';
import { isReadAction, ROLE_PERMISSIONS } from '../domain/role-permissions.js';
import type { Role } from '../domain/roles.js';
import { EVERY_PROJECT, isRole } from '../domain/roles.js';
import { AccessControlQueries } from '../read-models/access-control.queries.js';

const POLICY_VERSION = 'rbac-1';

/** A grant allows its role's actions in its project (or every project), and reads elsewhere if the role reads everywhere. */
function grantAllows(role: Role, grantProject: string, action: string, project: string): boolean {
  const { actions, readsEverywhere } = ROLE_PERMISSIONS[role];
  const roleMay = actions.includes('*') || actions.includes(action);
  if (roleMay && (grantProject === EVERY_PROJECT || grantProject === project)) return true;
  return roleMay && readsEverywhere && isReadAction(action);
}

/** Role-based decisions from project-scoped grants; expired or revoked grants count for nothing. */
@Injectable()
export class RbacAuthorizer implements Authorizer {
  constructor(
    private readonly queries: AccessControlQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async decide(request: AccessRequest): Promise<AccessDecision> {
    const project = request.resource.project ?? EVERY_PROJECT;
    const grants = await this.queries.activeGrants(request.principal.id, this.clock.now());
    const granting = grants.filter((g) => isRole(g.role) && grantAllows(g.role, g.project, request.action, project));
    const decisionId = this.ids.next();
    if (granting.length > 0) {
      return { allowed: true, reasons: granting.map((g) => `role ${g.role} on ${g.project} (grant ${g.id})`), decisionId, policyVersion: POLICY_VERSION };
    }
    return {
      allowed: false,
      reasons: [`no role of ${request.principal.id} allows ${request.action} in project ${project}`],
      decisionId,
      policyVersion: POLICY_VERSION,
      rule: 'rbac.no-role-allows',
    };
  }

  async require(request: AccessRequest): Promise<AccessDecision> {
    const decision = await this.decide(request);
    if (!decision.allowed) throw new Forbidden(decision.reasons.join('; '), decision.rule ?? 'rbac.no-role-allows');
    return decision;
  }

  async projectsWhere(principal: AuthenticatedPrincipal, action: string): Promise<'*' | readonly string[]> {
    const grants = await this.queries.activeGrants(principal.id, this.clock.now());
    const projects = new Set<string>();
    for (const g of grants) {
      if (!isRole(g.role)) continue;
      const { actions, readsEverywhere } = ROLE_PERMISSIONS[g.role];
      const roleMay = actions.includes('*') || actions.includes(action);
      if (!roleMay) continue;
      if (g.project === EVERY_PROJECT || (readsEverywhere && isReadAction(action))) return '*';
      projects.add(g.project);
    }
    return [...projects];
  }
}
