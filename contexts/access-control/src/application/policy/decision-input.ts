import type { AccessRequest } from '#platform';
import { isReadAction } from '#platform';
import type { GrantFact } from '../../read-models/access-control.queries.js';
import type { DecisionInput } from './policy-engine.js';

const EVERY_PROJECT = '*';
/** Facts only the decision point sets; a caller's values for them are dropped. */
const COMPUTED = ['isRead', 'isProduction', 'withinChangeWindow', 'emergencyApproved', 'now', 'sodConflictingRoles'];

export interface DecisionFacts {
  /** Grants in force now (expired ones already left out). */
  readonly grants: readonly GrantFact[];
  readonly productionEnvironments: readonly string[];
  readonly now: Date;
  readonly withinChangeWindow: boolean;
  readonly sodConflictingRoles: readonly (readonly [string, string])[];
  readonly principalKind: 'user' | 'pipeline' | 'service';
}

/** The project whose grants count for a resource; undefined for every-project resources. */
export const projectOf = (resource: AccessRequest['resource']): string | undefined =>
  typeof resource.project === 'string' && resource.project !== EVERY_PROJECT ? resource.project : undefined;

/** Turns a request and the facts of the moment into the document the engines judge. */
export function buildDecisionInput(request: AccessRequest, facts: DecisionFacts): DecisionInput {
  const project = projectOf(request.resource);
  const roles = new Set<string>();
  const allRoles = new Set<string>();
  for (const grant of facts.grants) {
    allRoles.add(grant.role);
    if (grant.project === EVERY_PROJECT || (project !== undefined && grant.project === project)) roles.add(grant.role);
  }
  const given: Record<string, unknown> = { ...(request.context ?? {}) };
  for (const key of COMPUTED) delete given[key];
  const environment =
    typeof given['environment'] === 'string'
      ? given['environment']
      : typeof request.resource['environment'] === 'string'
        ? request.resource['environment']
        : undefined;
  if (environment === undefined) delete given['environment'];
  return {
    principal: {
      id: request.principal.id,
      kind: facts.principalKind,
      roles: [...roles].sort(),
      allRoles: [...allRoles].sort(),
      groups: [...(request.principal.groups ?? [])],
    },
    action: request.action,
    resource: { ...request.resource },
    context: {
      ...given,
      ...(environment !== undefined ? { environment } : {}),
      isRead: isReadAction(request.action),
      isProduction: environment !== undefined && facts.productionEnvironments.includes(environment),
      withinChangeWindow: facts.withinChangeWindow,
      emergencyApproved: request.context?.emergencyApproved === true,
      now: facts.now.toISOString(),
      ...(request.action === 'role.grant' ? { sodConflictingRoles: facts.sodConflictingRoles } : {}),
    },
  };
}

/** Grants in force at `now`: expiry counts the moment it passes. */
export const grantsInForce = (grants: readonly GrantFact[], now: Date): GrantFact[] =>
  grants.filter((g) => g.expiresAt === null || new Date(g.expiresAt).getTime() > now.getTime());
