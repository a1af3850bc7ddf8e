import { readFileSync } from 'node:fs';
import { analyseIngress, findOpenIngress } from './open-ingress.js';
import { parseTerraformPlan } from './terraform-plan.js';

type Json = Record<string, unknown>;

const planOf = (...changes: Json[]) =>
  parseTerraformPlan({ format_version: '1.2', terraform_version: '1.9.5', planned_values: { root_module: {} }, resource_changes: changes });

interface ChangeOptions {
  readonly actions?: string[];
  readonly afterUnknown?: unknown;
  readonly name?: string;
}
const change = (
  type: string,
  after: Json | null,
  { actions = ['create'], afterUnknown = {}, name = 'this' }: ChangeOptions = {},
): Json => ({
  address: `${type}.${name}`,
  mode: 'managed',
  type,
  name,
  change: { actions, before: null, after, after_unknown: afterUnknown },
});

/** Rule, source and ports of each finding of one resource. */
const open = (type: string, after: Json | null, options?: ChangeOptions) =>
  findOpenIngress(planOf(change(type, after, options))).map((f) => {
    expect(f).toMatchObject({ address: `${type}.${options?.name ?? 'this'}`, resourceType: type });
    return [f.rule, f.cidr, f.ports];
  });
const unresolved = (type: string, after: Json | null, options?: ChangeOptions) =>
  analyseIngress(planOf(change(type, after, options))).unresolved.map((u) => u.attribute);

// Attribute sets as the providers' schemas plan them (every attribute present, unset ones null or empty).
const sgBlock = (over: Json = {}): Json => ({
  cidr_blocks: [],
  description: '',
  from_port: 22,
  ipv6_cidr_blocks: [],
  prefix_list_ids: [],
  protocol: 'tcp',
  security_groups: [],
  self: false,
  to_port: 22,
  ...over,
});
const securityGroup = (ingress: unknown[], egress: unknown[] = []): Json => ({ name: 'web', description: 'managed', ingress, egress });
const sgRule = (over: Json): Json => ({
  type: 'ingress',
  cidr_blocks: null,
  ipv6_cidr_blocks: null,
  from_port: 443,
  to_port: 443,
  protocol: 'tcp',
  self: false,
  ...over,
});
const vpcIngressRule = (over: Json): Json => ({
  cidr_ipv4: null,
  cidr_ipv6: null,
  ip_protocol: 'tcp',
  from_port: 3389,
  to_port: 3389,
  ...over,
});
const naclRule = (over: Json): Json => ({
  rule_number: 100,
  egress: false,
  rule_action: 'allow',
  protocol: '6',
  from_port: 22,
  to_port: 22,
  cidr_block: null,
  ipv6_cidr_block: null,
  ...over,
});
const naclBlock = (over: Json): Json => ({
  rule_no: 100,
  action: 'allow',
  protocol: 'tcp',
  from_port: 443,
  to_port: 443,
  cidr_block: '',
  ipv6_cidr_block: '',
  icmp_code: 0,
  icmp_type: 0,
  ...over,
});
const firewall = (over: Json): Json => ({
  name: 'allow-ssh',
  network: 'default',
  direction: 'INGRESS',
  disabled: false,
  source_ranges: [],
  source_tags: null,
  allow: [{ protocol: 'tcp', ports: ['22'] }],
  deny: [],
  ...over,
});
const nsgRule = (over: Json): Json => ({
  name: 'rdp',
  priority: 100,
  direction: 'Inbound',
  access: 'Allow',
  protocol: 'Tcp',
  source_port_range: '*',
  destination_port_range: '3389',
  destination_port_ranges: null,
  source_address_prefix: '',
  source_address_prefixes: null,
  destination_address_prefix: '*',
  ...over,
});

describe('open ingress, AWS', () => {
  it('aws_security_group: an ingress block with 0.0.0.0/0 or ::/0', () => {
    const after = securityGroup([
      sgBlock({ cidr_blocks: ['10.0.0.0/8'] }),
      sgBlock({ cidr_blocks: ['10.0.0.0/8', '0.0.0.0/0'], from_port: 80, to_port: 443 }),
      sgBlock({ ipv6_cidr_blocks: ['::/0'], protocol: '-1', from_port: 0, to_port: 0 }),
    ]);
    expect(open('aws_security_group', after)).toEqual([
      ['ingress[1].cidr_blocks[1]', '0.0.0.0/0', 'tcp/80-443'],
      ['ingress[2].ipv6_cidr_blocks[0]', '::/0', 'all'],
    ]);
    expect(open('aws_default_security_group', after)).toHaveLength(2);
  });

  it('aws_security_group: closed with private ranges, and open egress is no ingress', () => {
    const after = securityGroup(
      [sgBlock({ cidr_blocks: ['10.0.0.0/8'], ipv6_cidr_blocks: ['fd00::/8'] })],
      [sgBlock({ cidr_blocks: ['0.0.0.0/0'] })],
    );
    expect(open('aws_security_group', after)).toEqual([]);
  });

  it('aws_security_group_rule: type ingress with cidr_blocks or ipv6_cidr_blocks', () => {
    expect(open('aws_security_group_rule', sgRule({ cidr_blocks: ['0.0.0.0/0'] }))).toEqual([['cidr_blocks[0]', '0.0.0.0/0', 'tcp/443']]);
    expect(open('aws_security_group_rule', sgRule({ ipv6_cidr_blocks: ['2001:db8::/32', '::/0'] }))).toEqual([
      ['ipv6_cidr_blocks[1]', '::/0', 'tcp/443'],
    ]);
  });

  it('aws_security_group_rule: closed as egress or from a private range', () => {
    expect(open('aws_security_group_rule', sgRule({ type: 'egress', cidr_blocks: ['0.0.0.0/0'] }))).toEqual([]);
    expect(open('aws_security_group_rule', sgRule({ cidr_blocks: ['192.168.0.0/16'] }))).toEqual([]);
  });

  it('aws_vpc_security_group_ingress_rule: cidr_ipv4 or cidr_ipv6', () => {
    expect(open('aws_vpc_security_group_ingress_rule', vpcIngressRule({ cidr_ipv4: '0.0.0.0/0' }))).toEqual([
      ['cidr_ipv4', '0.0.0.0/0', 'tcp/3389'],
    ]);
    expect(
      open('aws_vpc_security_group_ingress_rule', vpcIngressRule({ cidr_ipv6: '::/0', ip_protocol: '-1', from_port: null, to_port: null })),
    ).toEqual([['cidr_ipv6', '::/0', 'all']]);
    expect(open('aws_vpc_security_group_ingress_rule', vpcIngressRule({ cidr_ipv4: '172.16.0.0/12' }))).toEqual([]);
    expect(open('aws_vpc_security_group_ingress_rule', vpcIngressRule({ referenced_security_group_id: 'sg-0123' }))).toEqual([]);
  });

  it('aws_network_acl_rule: an ingress allow rule from 0.0.0.0/0 or ::/0; protocol numbers read as names', () => {
    expect(open('aws_network_acl_rule', naclRule({ cidr_block: '0.0.0.0/0' }))).toEqual([['cidr_block', '0.0.0.0/0', 'tcp/22']]);
    expect(open('aws_network_acl_rule', naclRule({ ipv6_cidr_block: '::/0', egress: null, protocol: '-1' }))).toEqual([
      ['ipv6_cidr_block', '::/0', 'all'],
    ]);
  });

  it('aws_network_acl_rule: closed as egress, as deny, or from a private range', () => {
    expect(open('aws_network_acl_rule', naclRule({ cidr_block: '0.0.0.0/0', egress: true }))).toEqual([]);
    expect(open('aws_network_acl_rule', naclRule({ cidr_block: '0.0.0.0/0', rule_action: 'deny' }))).toEqual([]);
    expect(open('aws_network_acl_rule', naclRule({ cidr_block: '10.0.0.0/8' }))).toEqual([]);
  });

  it('aws_network_acl: an allowing ingress block; deny blocks and egress do not count', () => {
    const after = {
      ingress: [naclBlock({ action: 'deny', cidr_block: '0.0.0.0/0' }), naclBlock({ rule_no: 200, cidr_block: '0.0.0.0/0' })],
      egress: [naclBlock({ cidr_block: '0.0.0.0/0' })],
    };
    expect(open('aws_network_acl', after)).toEqual([['ingress[1].cidr_block', '0.0.0.0/0', 'tcp/443']]);
    expect(open('aws_default_network_acl', after)).toHaveLength(1);
    expect(open('aws_network_acl', { ingress: [naclBlock({ action: 'deny', cidr_block: '0.0.0.0/0' })], egress: after.egress })).toEqual(
      [],
    );
  });
});

describe('open ingress, Google', () => {
  it('google_compute_firewall: INGRESS (or unset direction) allowing from 0.0.0.0/0 or ::/0', () => {
    expect(open('google_compute_firewall', firewall({ source_ranges: ['35.191.0.0/16', '0.0.0.0/0'] }))).toEqual([
      ['source_ranges[1]', '0.0.0.0/0', 'tcp/22'],
    ]);
    const ipv6 = firewall({
      direction: null,
      source_ranges: ['::/0'],
      allow: [
        { protocol: 'tcp', ports: ['80', '8000-8080'] },
        { protocol: 'icmp', ports: [] },
      ],
    });
    expect(open('google_compute_firewall', ipv6)).toEqual([['source_ranges[0]', '::/0', 'tcp/80,8000-8080; icmp']]);
    expect(open('google_compute_firewall', firewall({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'all', ports: [] }] }))).toEqual([
      ['source_ranges[0]', '0.0.0.0/0', 'all'],
    ]);
  });

  it('google_compute_firewall: closed when it only denies, is EGRESS, disabled, private, or by tags', () => {
    const deny = firewall({ source_ranges: ['0.0.0.0/0'], allow: [], deny: [{ protocol: 'tcp', ports: ['22'] }] });
    expect(open('google_compute_firewall', deny)).toEqual([]);
    expect(open('google_compute_firewall', firewall({ direction: 'EGRESS', source_ranges: ['0.0.0.0/0'] }))).toEqual([]);
    expect(open('google_compute_firewall', firewall({ disabled: true, source_ranges: ['0.0.0.0/0'] }))).toEqual([]);
    expect(open('google_compute_firewall', firewall({ source_ranges: ['10.128.0.0/9'] }))).toEqual([]);
    expect(open('google_compute_firewall', firewall({ source_ranges: null, source_tags: ['bastion'] }))).toEqual([]);
  });
});

describe('open ingress, Azure', () => {
  it('azurerm_network_security_rule: Inbound Allow from *, Internet, Any, 0.0.0.0/0 or ::/0', () => {
    for (const source of ['*', 'Internet', 'internet', 'Any', '0.0.0.0/0', '::/0']) {
      expect(open('azurerm_network_security_rule', nsgRule({ source_address_prefix: source }))).toEqual([
        ['source_address_prefix', source, 'tcp/3389'],
      ]);
    }
    const list = nsgRule({ source_address_prefixes: ['10.0.0.0/8', '::/0'], protocol: '*', destination_port_range: '*' });
    expect(open('azurerm_network_security_rule', list)).toEqual([['source_address_prefixes[1]', '::/0', 'all']]);
  });

  it('azurerm_network_security_rule: closed as Outbound, as Deny, or from a network or a private range', () => {
    expect(open('azurerm_network_security_rule', nsgRule({ direction: 'Outbound', source_address_prefix: '*' }))).toEqual([]);
    expect(open('azurerm_network_security_rule', nsgRule({ access: 'Deny', source_address_prefix: '*' }))).toEqual([]);
    expect(open('azurerm_network_security_rule', nsgRule({ source_address_prefix: 'VirtualNetwork' }))).toEqual([]);
    expect(open('azurerm_network_security_rule', nsgRule({ source_address_prefixes: ['10.1.0.0/16'] }))).toEqual([]);
  });

  it('azurerm_network_security_group: inline security_rule blocks, each judged alone', () => {
    const after = {
      name: 'web-nsg',
      security_rule: [
        nsgRule({ name: 'out', direction: 'Outbound', source_address_prefix: '*' }),
        nsgRule({ name: 'web', source_address_prefix: 'Internet', destination_port_range: '', destination_port_ranges: ['80', '443'] }),
        nsgRule({ name: 'block', access: 'Deny', source_address_prefix: '*' }),
      ],
    };
    expect(open('azurerm_network_security_group', after)).toEqual([['security_rule[1].source_address_prefix', 'Internet', 'tcp/80,443']]);
  });
});

describe('what counts as open', () => {
  it('any CIDR of prefix length 0, however spelt; not a narrower one, and not Azure words for AWS', () => {
    for (const cidr of ['::0/0', '0:0:0:0:0:0:0:0/0', '10.0.0.0/0', ' 0.0.0.0/0 ']) {
      expect(open('aws_vpc_security_group_ingress_rule', vpcIngressRule({ cidr_ipv4: cidr }))).toEqual([
        ['cidr_ipv4', cidr.trim(), 'tcp/3389'],
      ]);
    }
    for (const cidr of ['0.0.0.0/1', '0.0.0.0/32', '*', 'Internet', '']) {
      expect(open('aws_vpc_security_group_ingress_rule', vpcIngressRule({ cidr_ipv4: cidr }))).toEqual([]);
    }
  });

  it('only resources being created or updated: replacements count, deletions, reads and no-ops do not', () => {
    const after = securityGroup([sgBlock({ cidr_blocks: ['0.0.0.0/0'] })]);
    for (const actions of [['create'], ['update'], ['delete', 'create'], ['create', 'delete']]) {
      expect(open('aws_security_group', after, { actions })).toHaveLength(1);
    }
    for (const actions of [['no-op'], ['read'], ['forget']]) expect(open('aws_security_group', after, { actions })).toEqual([]);
    expect(open('aws_security_group', null, { actions: ['delete'] })).toEqual([]);
  });

  it('ignores resource types it does not cover, whatever their CIDRs', () => {
    const plan = planOf(change('aws_route', { destination_cidr_block: '0.0.0.0/0' }), change('aws_vpc', { cidr_block: '0.0.0.0/0' }));
    expect(analyseIngress(plan)).toEqual({ findings: [], unresolved: [], resourcesChecked: 0, rulesChecked: 0 });
  });
});

describe('values known only after apply (after_unknown)', () => {
  it('a source list known only after apply is unresolved, not a finding', () => {
    const after = sgRule({});
    delete after.cidr_blocks;
    expect(open('aws_security_group_rule', after, { afterUnknown: { cidr_blocks: true } })).toEqual([]);
    expect(unresolved('aws_security_group_rule', after, { afterUnknown: { cidr_blocks: true } })).toEqual(['cidr_blocks']);
  });

  it('one unknown element of a list: the known open one is still a finding', () => {
    const after = sgRule({ cidr_blocks: ['0.0.0.0/0', null] });
    const afterUnknown = { cidr_blocks: [false, true] };
    expect(open('aws_security_group_rule', after, { afterUnknown })).toEqual([['cidr_blocks[0]', '0.0.0.0/0', 'tcp/443']]);
    expect(unresolved('aws_security_group_rule', after, { afterUnknown })).toEqual(['cidr_blocks[1]']);
  });

  it('inline blocks known only after apply (dynamic blocks), as a list or one element', () => {
    expect(unresolved('aws_security_group', { name: 'web' }, { afterUnknown: { ingress: true } })).toEqual(['ingress']);
    expect(unresolved('aws_security_group', securityGroup([null, sgBlock()]), { afterUnknown: { ingress: [true, {}] } })).toEqual([
      'ingress[0]',
    ]);
    expect(unresolved('azurerm_network_security_group', { name: 'nsg' }, { afterUnknown: { security_rule: true } })).toEqual([
      'security_rule',
    ]);
    expect(unresolved('aws_network_acl', { egress: [] }, { afterUnknown: true })).toEqual(['ingress']);
  });

  it('an open source whose direction or verdict is not known yet is unresolved; a closed one is nothing', () => {
    const direction = firewall({ source_ranges: ['0.0.0.0/0'] });
    delete direction.direction;
    expect(open('google_compute_firewall', direction, { afterUnknown: { direction: true } })).toEqual([]);
    expect(unresolved('google_compute_firewall', direction, { afterUnknown: { direction: true } })).toEqual(['direction']);
    expect(
      unresolved('google_compute_firewall', { ...direction, source_ranges: ['10.0.0.0/8'] }, { afterUnknown: { direction: true } }),
    ).toEqual([]);
    expect(
      unresolved('azurerm_network_security_rule', nsgRule({ source_address_prefix: '*', access: null }), {
        afterUnknown: { access: true },
      }),
    ).toEqual(['access']);
    const acl = { ingress: [naclBlock({ cidr_block: '0.0.0.0/0', action: null })] };
    expect(unresolved('aws_network_acl', acl, { afterUnknown: { ingress: [{ action: true }] } })).toEqual(['ingress[0].action']);
  });

  it('ports known only after apply leave the finding without ports', () => {
    const after = sgRule({ cidr_blocks: ['0.0.0.0/0'], from_port: null });
    const [finding] = findOpenIngress(planOf(change('aws_security_group_rule', after, { afterUnknown: { from_port: true } })));
    expect(finding).toEqual({
      address: 'aws_security_group_rule.this',
      resourceType: 'aws_security_group_rule',
      rule: 'cidr_blocks[0]',
      cidr: '0.0.0.0/0',
    });
  });
});

describe('a whole plan', () => {
  it('finds the open HTTPS rules of the web tier and names the rule whose CIDR comes from the new VPC', () => {
    const plan = parseTerraformPlan(JSON.parse(readFileSync(new URL('./fixtures/web-tier.plan.json', import.meta.url), 'utf8')));
    const analysis = analyseIngress(plan);
    expect(analysis.findings).toEqual([
      {
        address: 'aws_security_group.web',
        resourceType: 'aws_security_group',
        rule: 'ingress[0].cidr_blocks[0]',
        cidr: '0.0.0.0/0',
        ports: 'tcp/443',
      },
      {
        address: 'aws_security_group.web',
        resourceType: 'aws_security_group',
        rule: 'ingress[0].ipv6_cidr_blocks[0]',
        cidr: '::/0',
        ports: 'tcp/443',
      },
    ]);
    expect(analysis.unresolved).toEqual([
      { address: 'aws_security_group_rule.admin', resourceType: 'aws_security_group_rule', attribute: 'cidr_blocks[0]' },
    ]);
    // The deleted open group and the data source are not checked.
    expect(analysis).toMatchObject({ resourcesChecked: 2, rulesChecked: 3 });
  });
});
