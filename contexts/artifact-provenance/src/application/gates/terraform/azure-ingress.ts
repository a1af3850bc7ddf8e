import {
  anyRefused,
  conditionAt,
  eachBlock,
  firstPending,
  portList,
  protocolName,
  type IngressReader,
  type IngressRule,
} from './ingress-rule.js';
import { elementsOf, type PlannedValue } from './planned-value.js';

function destinationPorts(rule: PlannedValue): string | undefined {
  const single = rule.get('destination_port_range');
  const list = rule.get('destination_port_ranges');
  if (single.unknown || list.unknown) return undefined;
  const ranges = [single, ...list.items()].flatMap((p) => (p.string() === undefined ? [] : [p.string()!]));
  return portList(protocolName(rule.get('protocol')), ranges);
}

/**
 * One security rule (hashicorp/azurerm), standalone or inline: it opens when `direction` is
 * Inbound and `access` is Allow, from `source_address_prefix` or `source_address_prefixes`.
 */
function securityRule(rule: PlannedValue): IngressRule | undefined {
  const conditions = [conditionAt(rule.get('direction'), ['Inbound'], 'no'), conditionAt(rule.get('access'), ['Allow'], 'no')];
  if (anyRefused(conditions)) return undefined;
  return {
    sources: [rule.get('source_address_prefix'), ...elementsOf(rule.get('source_address_prefixes'))],
    ports: destinationPorts(rule),
    pendingCondition: firstPending(conditions),
  };
}

export const AZURE_INGRESS_READERS: Readonly<Record<string, IngressReader>> = {
  azurerm_network_security_rule: (after) => {
    const rule = securityRule(after);
    return rule === undefined ? [] : [rule];
  },
  /** Inline `security_rule` blocks. */
  azurerm_network_security_group: (after) => eachBlock(after.get('security_rule'), securityRule),
};
