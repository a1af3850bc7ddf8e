// Facts for the gates of Artifact Provenance: pure extraction from plans and build metadata, no I/O, no Nest.
export { type GateCheck, type ApprovableGateCheck, requiresApproval } from './gate-check.js';
export { parseTerraformPlan, type TerraformPlan, type ResourceChange, type PlannedChange } from './terraform/terraform-plan.js';
export {
  analyseIngress,
  findOpenIngress,
  type OpenIngressFinding,
  type UnresolvedIngress,
  type IngressAnalysis,
} from './terraform/open-ingress.js';
export { infrastructureChecks } from './infrastructure/infrastructure-checks.js';
export { noOpenIngressCheck, NO_OPEN_INGRESS } from './infrastructure/open-ingress-check.js';
export { costWithinThresholdCheck, COST_WITHIN_THRESHOLD, type CostOptions } from './infrastructure/cost-check.js';
export { checkSemanticVersion, SEMANTIC_VERSION } from './build/semantic-version-check.js';
export { missingLabels, REQUIRED_LABELS, type LabelsCheck } from './build/required-labels-check.js';
