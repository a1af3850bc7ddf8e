/**
 * The document every engine judges, shaped like OPA's `input` (and logged as such):
 * who asks, what for, on what, and the facts of the moment.
 */
export interface DecisionInput {
  readonly principal: {
    readonly id: string;
    readonly kind: 'user' | 'pipeline' | 'service';
    /** Roles held on the resource's project, or on every project ("*"). */
    readonly roles: readonly string[];
    /** Roles held on any project: cross-project reads depend on them. */
    readonly allRoles: readonly string[];
    readonly groups: readonly string[];
  };
  readonly action: string;
  readonly resource: { readonly type: string; readonly id?: string; readonly project?: string; readonly [attribute: string]: unknown };
  readonly context: {
    readonly environment?: string;
    readonly isRead: boolean;
    readonly isProduction: boolean;
    readonly withinChangeWindow: boolean;
    readonly emergencyApproved: boolean;
    readonly now: string;
    /** Only on `role.grant`: the configured static segregation-of-duties pairs. */
    readonly sodConflictingRoles?: readonly (readonly [string, string])[];
    readonly [attribute: string]: unknown;
  };
}

/** A policy that applied, by its id (the rule) and why. */
export interface PolicyHit {
  readonly id: string;
  readonly reason: string;
}

export interface EngineVerdict {
  readonly allowed: boolean;
  /** Permits that applied; the reasons of an allowed decision. */
  readonly permits: readonly PolicyHit[];
  /** Forbids that applied (or could not be evaluated, which counts as applying). */
  readonly forbids: readonly PolicyHit[];
  readonly policyVersion: string;
}

/** A policy engine behind the decision point: Cedar in process, or an OPA server. */
export interface PolicyEngine {
  readonly name: 'cedar' | 'opa';
  evaluate(input: DecisionInput): Promise<EngineVerdict>;
}

export const POLICY_ENGINE = Symbol('POLICY_ENGINE');
