import { cappedList } from '../capped-list.js';
import type { GateCheck } from '../gate-check.js';
import { analyseIngress } from '../terraform/open-ingress.js';
import type { TerraformPlan } from '../terraform/terraform-plan.js';

export const NO_OPEN_INGRESS = 'no-open-ingress';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Fails when a resource being created or updated admits traffic from the whole internet, and on
 * an errored plan, whose changes are incomplete. Sources known only after apply are not findings
 * (they are mostly ranges of networks the same plan creates; failing on them would block every
 * first apply) but the reason names them, so the record shows what the gate could not see.
 */
export function noOpenIngressCheck(plan: TerraformPlan): GateCheck {
  const { findings, unresolved, resourcesChecked, rulesChecked } = analyseIngress(plan);
  const notChecked =
    unresolved.length === 0
      ? ''
      : `; not checked, known only after apply: ${cappedList(unresolved.map((u) => `${u.address} ${u.attribute}`))}`;
  if (findings.length > 0) {
    const open = findings.map((f) => `${f.address} ${f.rule} ${f.cidr}${f.ports !== undefined ? ` ${f.ports}` : ''}`);
    return { name: NO_OPEN_INGRESS, passed: false, reason: `ingress open to the internet: ${cappedList(open, '; ')}${notChecked}` };
  }
  if (plan.errored) {
    return {
      name: NO_OPEN_INGRESS,
      passed: false,
      reason: `the plan errored, so its changes are incomplete and cannot show that no ingress is open${notChecked}`,
    };
  }
  const scope =
    resourcesChecked === 0
      ? 'no security group, firewall or network ACL is created or updated'
      : `${plural(rulesChecked, 'ingress rule', 'ingress rules')} in ${plural(resourcesChecked, 'resource', 'resources')} being created or updated`;
  return { name: NO_OPEN_INGRESS, passed: true, reason: `no ingress open to the internet: ${scope}${notChecked}` };
}
