import type { GateCheck } from '../gate-check.js';
import type { TerraformPlan } from '../terraform/terraform-plan.js';
import { costWithinThresholdCheck, type CostOptions } from './cost-check.js';
import { noOpenIngressCheck } from './open-ingress-check.js';

/** The infrastructure gate's checks of a parsed plan: `no-open-ingress`, then `cost-within-threshold`. */
export const infrastructureChecks = (plan: TerraformPlan, options: CostOptions = {}): GateCheck[] => [
  noOpenIngressCheck(plan),
  costWithinThresholdCheck(options),
];
