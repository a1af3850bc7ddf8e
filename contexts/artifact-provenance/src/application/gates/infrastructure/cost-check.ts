import { Invalid, type FieldError } from '#kernel';
import type { ApprovableGateCheck, GateCheck } from '../gate-check.js';

export const COST_WITHIN_THRESHOLD = 'cost-within-threshold';

export interface CostOptions {
  /** Estimated monthly cost of the plan, as the request states it (no currency: it is the threshold's). */
  readonly monthlyCost?: number;
  /** Highest monthly cost allowed without an approval; unset or null: no limit. */
  readonly costThreshold?: number | null;
}

/** Enough digits for money, without printing 0.1 + 0.2 as 0.30000000000000004. */
const amount = (n: number): string => String(Number(n.toPrecision(12)));

function validate(options: CostOptions): void {
  const errors: FieldError[] = [];
  const { monthlyCost, costThreshold } = options;
  const bad = (n: unknown) => typeof n !== 'number' || !Number.isFinite(n) || n < 0;
  if (monthlyCost !== undefined && bad(monthlyCost)) errors.push({ pointer: '/monthlyCost', message: 'must be a finite number ≥ 0' });
  if (costThreshold !== undefined && costThreshold !== null && bad(costThreshold)) {
    errors.push({ pointer: '/costThreshold', message: 'must be a finite number ≥ 0, or null for no threshold' });
  }
  if (errors.length > 0) throw new Invalid('the cost options are invalid', errors);
}

/**
 * Passes with no threshold, or a cost at or below it. Above it, or with a threshold but no cost to
 * compare (an unknown cost is not a low one), it fails with `requiresApproval`: unlike an open
 * port, a cost is something a person may accept. Throws `Invalid` for a negative or non-finite
 * amount, with the option's name as the pointer.
 */
export function costWithinThresholdCheck(options: CostOptions = {}): GateCheck | ApprovableGateCheck {
  validate(options);
  const { monthlyCost, costThreshold } = options;
  const name = COST_WITHIN_THRESHOLD;
  if (costThreshold === undefined || costThreshold === null) {
    const cost = monthlyCost === undefined ? '' : ` (monthly cost ${amount(monthlyCost)})`;
    return { name, passed: true, reason: `no cost threshold is set${cost}` };
  }
  if (monthlyCost === undefined) {
    return {
      name,
      passed: false,
      requiresApproval: true,
      reason: `the cost threshold is ${amount(costThreshold)} but no monthly cost was given; an approval is required`,
    };
  }
  if (monthlyCost <= costThreshold) {
    return { name, passed: true, reason: `monthly cost ${amount(monthlyCost)} is within the threshold ${amount(costThreshold)}` };
  }
  return {
    name,
    passed: false,
    requiresApproval: true,
    reason: `monthly cost ${amount(monthlyCost)} is above the threshold ${amount(costThreshold)}; an approval is required`,
  };
}
