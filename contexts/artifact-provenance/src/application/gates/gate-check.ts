/**
 * The outcome of one gate check. `reason` says what was found whether the check passed or not,
 * because the ledger records it as the evidence behind the decision.
 */
export interface GateCheck {
  readonly name: string;
  readonly passed: boolean;
  readonly reason: string;
}

/** A failed check that a recorded human approval may overrule (a cost above threshold), not a hard stop. */
export interface ApprovableGateCheck extends GateCheck {
  readonly requiresApproval: true;
}

export const requiresApproval = (check: GateCheck): check is ApprovableGateCheck =>
  (check as Partial<ApprovableGateCheck>).requiresApproval === true;
