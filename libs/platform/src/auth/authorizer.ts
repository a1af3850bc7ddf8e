import type { AuthenticatedPrincipal } from './principal.js';

/** What is being asked: may this principal take this action on this resource, in this context? */
export interface AccessRequest {
  readonly principal: AuthenticatedPrincipal;
  /** e.g. `cdevent.ingest`, `deployment.approve`, `audit.read` (see API-CONTRACT actions). */
  readonly action: string;
  readonly resource: { readonly type: string; readonly id?: string; readonly project?: string; readonly [attribute: string]: unknown };
  readonly context?: { readonly environment?: string; readonly [attribute: string]: unknown };
}

export interface AccessDecision {
  readonly allowed: boolean;
  readonly reasons: readonly string[];
  readonly decisionId: string;
  readonly policyVersion: string;
  /** The rule that refused, when refused. */
  readonly rule?: string;
}

/**
 * The policy decision point every context asks. Implemented by Access Control; other contexts
 * depend only on this port.
 */
export interface Authorizer {
  decide(request: AccessRequest): Promise<AccessDecision>;
  /** Like decide, but throws Forbidden (naming the rule) when refused. */
  require(request: AccessRequest): Promise<AccessDecision>;
  /** Projects in which the principal may take `action`: '*' for all, for filtering reads at the source. */
  projectsWhere(principal: AuthenticatedPrincipal, action: string): Promise<'*' | readonly string[]>;
}

export const AUTHORIZER = Symbol('AUTHORIZER');
