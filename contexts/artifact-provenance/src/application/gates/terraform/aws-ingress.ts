import { anyRefused, conditionAt, eachBlock, firstPending, portRange, type IngressReader } from './ingress-rule.js';
import { elementsOf, type PlannedValue } from './planned-value.js';

/**
 * AWS security groups and network ACLs (hashicorp/aws provider schemas). Inline blocks and the
 * standalone rule resources are read alike; a block list known only after apply (a `dynamic`
 * block over a computed collection) is one unknown source.
 */

const cidrLists = (rule: PlannedValue): PlannedValue[] => [
  ...elementsOf(rule.get('cidr_blocks')),
  ...elementsOf(rule.get('ipv6_cidr_blocks')),
];

const ports = (rule: PlannedValue, protocol = 'protocol'): string | undefined =>
  portRange(rule.get(protocol), rule.get('from_port'), rule.get('to_port'));

/** `ingress` blocks of `aws_security_group` (and `aws_default_security_group`): every one admits traffic. */
const securityGroup: IngressReader = (after) =>
  eachBlock(after.get('ingress'), (block) => ({ sources: cidrLists(block), ports: ports(block) }));

/** `aws_security_group_rule`: one rule, ingress when `type` is "ingress". */
const securityGroupRule: IngressReader = (after) => {
  const conditions = [conditionAt(after.get('type'), ['ingress'], 'no')];
  if (anyRefused(conditions)) return [];
  return [{ sources: cidrLists(after), ports: ports(after), pendingCondition: firstPending(conditions) }];
};

/** `aws_vpc_security_group_ingress_rule`: ingress by its type; one CIDR per rule. */
const vpcIngressRule: IngressReader = (after) => [
  { sources: [after.get('cidr_ipv4'), after.get('cidr_ipv6')], ports: ports(after, 'ip_protocol') },
];

/** `aws_network_acl_rule`: ingress unless `egress` is true, and only an `allow` rule opens anything. */
const networkAclRule: IngressReader = (after) => {
  const conditions = [conditionAt(after.get('egress'), [false], 'yes'), conditionAt(after.get('rule_action'), ['allow'], 'no')];
  if (anyRefused(conditions)) return [];
  return [
    { sources: [after.get('cidr_block'), after.get('ipv6_cidr_block')], ports: ports(after), pendingCondition: firstPending(conditions) },
  ];
};

/** `ingress` blocks of `aws_network_acl` (and `aws_default_network_acl`), allowed or denied by `action`. */
const networkAcl: IngressReader = (after) =>
  eachBlock(after.get('ingress'), (block) => {
    const conditions = [conditionAt(block.get('action'), ['allow'], 'no')];
    if (anyRefused(conditions)) return undefined;
    return {
      sources: [block.get('cidr_block'), block.get('ipv6_cidr_block')],
      ports: ports(block),
      pendingCondition: firstPending(conditions),
    };
  });

export const AWS_INGRESS_READERS: Readonly<Record<string, IngressReader>> = {
  aws_security_group: securityGroup,
  aws_default_security_group: securityGroup,
  aws_security_group_rule: securityGroupRule,
  aws_vpc_security_group_ingress_rule: vpcIngressRule,
  aws_network_acl_rule: networkAclRule,
  aws_network_acl: networkAcl,
  aws_default_network_acl: networkAcl,
};
