import type { StreamAppend } from '#kernel';
import type { AuthenticatedPrincipal } from './principal.js';

/**
 * What is being asked: may this principal take this action on this resource, in this context?
 *
 * Actions are `<noun>.<verb>` (see API-CONTRACT): e.g. `pipeline.run`, `deployment.approve`,
 * `test-result.modify`, `audit.read`. Actions ending in `.read`, `.read-logs` or `.list`, and
 * `audit.export`, `audit.verify`, `access.review`, are reads; every other action changes state,
 * and every decision on it (allowed or not) is recorded as a decision-log event. Denials of
 * reads are recorded too.
 *
 * Resource attributes the policies use (the calling context supplies them; missing evidence
 * denies where a rule needs it):
 * - `project`: the project the resource belongs to; absent or `"*"` means the resource belongs
 *   to no single project, and only roles granted on every project (`"*"`) count.
 * - `authorId`: who authored the subject (a change, a commit, test results). Its author may not
 *   approve it (`sod.self-approval`).
 * - `requestedBy`: who requested the approval or action. The requester may not approve it
 *   (`sod.self-approval`). `change.approve`, `build.approve` and `deployment.approve` need
 *   `authorId` or `requestedBy` (`sod.subject-facts-missing` otherwise).
 * - `triggeredBy`: who triggered a deployment or run. On `deployment.approve` the triggerer may
 *   approve only when `approvers` holds someone else (`sod.sole-approver`).
 * - `approvers`: principal ids who have already approved the subject.
 * - `classification`: `public`, `internal` (default), `confidential` (only principals holding a
 *   role in the project, or compliance/audit roles) or `restricted` (only platform-admin,
 *   team-lead or release-manager of the project, or compliance-officer/auditor); any other
 *   value is denied (`abac.unknown-classification`).
 * - `environment`: accepted as a fallback for `context.environment`.
 *
 * Context attributes:
 * - `environment`: the target environment. It is production when the project's settings list it
 *   in `productionEnvironments` (default `["production"]`). `deployment.approve` and
 *   `deployment.execute` need it (`abac.environment-required`).
 * - `emergencyApproved`: `true` when an approved emergency (break-glass) covers the action; it
 *   lifts the production change window.
 * The decision point adds facts of its own to the context (`isProduction`, `isRead`,
 * `withinChangeWindow`, `now`); callers cannot set those.
 */
export interface AccessRequest {
  readonly principal: AuthenticatedPrincipal;
  readonly action: string;
  readonly resource: { readonly type: string; readonly id?: string; readonly project?: string; readonly [attribute: string]: unknown };
  readonly context?: { readonly environment?: string; readonly emergencyApproved?: boolean; readonly [attribute: string]: unknown };
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** Why, in words: the policies that permitted, or those that refused. */
  readonly reasons: readonly string[];
  /** Id of the recorded decision (the `decision_id` of its decision-log event). */
  readonly decisionId: string;
  readonly policyVersion: string;
  /** The rule that refused, when refused (e.g. `rbac.no-role-allows`, `sod.self-approval`). */
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
  /**
   * Projects in which the principal may take `action`: '*' for all, for filtering reads at the
   * source. Judged on roles alone (no resource attributes or context), and not recorded.
   */
  projectsWhere(principal: AuthenticatedPrincipal, action: string): Promise<'*' | readonly string[]>;
  /**
   * For commands: like require, but an allowed decision comes back with its decision-log append
   * unwritten, for the write side to commit together with the events of the action it allows (so
   * the action and the decision that allowed it are stored together or not at all), or alone when
   * the action stores nothing. Refusals are recorded before it throws. An allowed read has no
   * record (allowed reads are not recorded).
   */
  authorize(request: AccessRequest): Promise<Authorization>;
}

/** An allowed decision and the append that records it, for the write side to commit. */
export interface Authorization {
  readonly decision: AccessDecision;
  /** Null for an allowed read. */
  readonly record: StreamAppend | null;
}

export const AUTHORIZER = Symbol('AUTHORIZER');

const READ_SUFFIXES = ['.read', '.read-logs', '.list'];
const READ_ACTIONS = new Set(['audit.export', 'audit.verify', 'access.review']);

/** Whether an action only reads (its allowed decisions need not be recorded). */
export function isReadAction(action: string): boolean {
  return READ_ACTIONS.has(action) || READ_SUFFIXES.some((suffix) => action.endsWith(suffix));
}
