import { readFileSync } from 'node:fs';
import { Invalid } from '#kernel';
import { MAX_LIST_CHARS, MAX_LISTED_ITEMS } from '../capped-list.js';
import { requiresApproval } from '../gate-check.js';
import { parseTerraformPlan } from '../terraform/terraform-plan.js';
import { costWithinThresholdCheck } from './cost-check.js';
import { infrastructureChecks } from './infrastructure-checks.js';
import { noOpenIngressCheck } from './open-ingress-check.js';

type Json = Record<string, unknown>;

const webTier = () =>
  parseTerraformPlan(JSON.parse(readFileSync(new URL('../terraform/fixtures/web-tier.plan.json', import.meta.url), 'utf8')));
const planOf = (changes: Json[], over: Json = {}) =>
  parseTerraformPlan({ format_version: '1.2', planned_values: { root_module: {} }, resource_changes: changes, ...over });
const ingressRule = (name: string, cidr: string, afterUnknown: Json = {}): Json => ({
  address: `aws_vpc_security_group_ingress_rule.${name}`,
  mode: 'managed',
  type: 'aws_vpc_security_group_ingress_rule',
  name,
  change: { actions: ['create'], after: { cidr_ipv4: cidr, ip_protocol: 'tcp', from_port: 22, to_port: 22 }, after_unknown: afterUnknown },
});

describe('no-open-ingress', () => {
  it('fails on open rules, naming address, rule, source and ports, and lists what was not known', () => {
    const check = noOpenIngressCheck(webTier());
    expect(check.name).toBe('no-open-ingress');
    expect(check.passed).toBe(false);
    expect(check.reason).toBe(
      'ingress open to the internet: aws_security_group.web ingress[0].cidr_blocks[0] 0.0.0.0/0 tcp/443; ' +
        'aws_security_group.web ingress[0].ipv6_cidr_blocks[0] ::/0 tcp/443; ' +
        'not checked, known only after apply: aws_security_group_rule.admin cidr_blocks[0]',
    );
  });

  it('passes on closed rules and says how many it read', () => {
    const check = noOpenIngressCheck(planOf([ingressRule('a', '10.0.0.0/8'), ingressRule('b', '192.168.0.0/16')]));
    expect(check).toEqual({
      name: 'no-open-ingress',
      passed: true,
      reason: 'no ingress open to the internet: 2 ingress rules in 2 resources being created or updated',
    });
  });

  it('passes when nothing covered changes, and says so', () => {
    expect(noOpenIngressCheck(planOf([])).reason).toBe(
      'no ingress open to the internet: no security group, firewall or network ACL is created or updated',
    );
  });

  it('passes with sources known only after apply, naming them', () => {
    const check = noOpenIngressCheck(
      planOf([
        ingressRule('vpc', '10.0.0.0/8'),
        { ...ingressRule('later', ''), change: { actions: ['create'], after: {}, after_unknown: { cidr_ipv4: true } } },
      ]),
    );
    expect(check.passed).toBe(true);
    expect(check.reason).toContain('not checked, known only after apply: aws_vpc_security_group_ingress_rule.later cidr_ipv4');
  });

  it('fails on an errored plan, whose changes are incomplete', () => {
    const check = noOpenIngressCheck(planOf([ingressRule('a', '10.0.0.0/8')], { errored: true }));
    expect(check.passed).toBe(false);
    expect(check.reason).toContain('the plan errored');
  });

  it('caps the list of findings in the reason', () => {
    const many = Array.from({ length: 40 }, (_, i) => ingressRule(`r${i}`, '0.0.0.0/0'));
    const { passed, reason } = noOpenIngressCheck(planOf(many));
    expect(passed).toBe(false);
    expect(reason).toContain('aws_vpc_security_group_ingress_rule.r0 cidr_ipv4 0.0.0.0/0 tcp/22');
    expect(reason).not.toContain(`.r${MAX_LISTED_ITEMS} `);
    expect(reason).toMatch(new RegExp(`… and ${40 - MAX_LISTED_ITEMS} more$`));
  });

  it('caps the reason length when addresses are long', () => {
    const long = Array.from({ length: 5 }, (_, i) => ingressRule(`${'x'.repeat(3000)}${i}`, '0.0.0.0/0'));
    const { reason } = noOpenIngressCheck(planOf(long));
    expect(reason.length).toBeLessThan(MAX_LIST_CHARS + 100);
    expect(reason).toMatch(/… and \d+ more$/);
  });
});

describe('cost-within-threshold', () => {
  it('passes without a threshold, with or without a cost', () => {
    expect(costWithinThresholdCheck({})).toEqual({ name: 'cost-within-threshold', passed: true, reason: 'no cost threshold is set' });
    expect(costWithinThresholdCheck({ monthlyCost: 1234.5, costThreshold: null })).toEqual({
      name: 'cost-within-threshold',
      passed: true,
      reason: 'no cost threshold is set (monthly cost 1234.5)',
    });
  });

  it('passes at or below the threshold', () => {
    for (const monthlyCost of [0, 499.99, 500]) {
      const check = costWithinThresholdCheck({ monthlyCost, costThreshold: 500 });
      expect(check).toEqual({
        name: 'cost-within-threshold',
        passed: true,
        reason: `monthly cost ${monthlyCost} is within the threshold 500`,
      });
      expect(requiresApproval(check)).toBe(false);
    }
  });

  it('above the threshold fails and asks for an approval', () => {
    const check = costWithinThresholdCheck({ monthlyCost: 500.01, costThreshold: 500 });
    expect(check).toEqual({
      name: 'cost-within-threshold',
      passed: false,
      requiresApproval: true,
      reason: 'monthly cost 500.01 is above the threshold 500; an approval is required',
    });
    expect(requiresApproval(check)).toBe(true);
  });

  it('prints amounts without floating-point noise', () => {
    expect(costWithinThresholdCheck({ monthlyCost: 0.1 + 0.2, costThreshold: 0.25 }).reason).toBe(
      'monthly cost 0.3 is above the threshold 0.25; an approval is required',
    );
  });

  it('with a threshold but no cost, asks for an approval: an unknown cost is not a low one', () => {
    const check = costWithinThresholdCheck({ costThreshold: 100 });
    expect(check.passed).toBe(false);
    expect(requiresApproval(check)).toBe(true);
    expect(check.reason).toBe('the cost threshold is 100 but no monthly cost was given; an approval is required');
  });

  it('refuses negative and non-finite amounts, pointing at the option', () => {
    const pointersOf = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        expect(e).toBeInstanceOf(Invalid);
        return (e as Invalid).errors.map((f) => f.pointer);
      }
      throw new Error('expected Invalid');
    };
    expect(pointersOf(() => costWithinThresholdCheck({ monthlyCost: -1 }))).toEqual(['/monthlyCost']);
    expect(pointersOf(() => costWithinThresholdCheck({ monthlyCost: Number.NaN, costThreshold: Infinity }))).toEqual([
      '/monthlyCost',
      '/costThreshold',
    ]);
    expect(pointersOf(() => costWithinThresholdCheck({ costThreshold: '100' as unknown as number }))).toEqual(['/costThreshold']);
  });
});

describe('infrastructureChecks', () => {
  it('runs no-open-ingress and cost-within-threshold, in that order', () => {
    const checks = infrastructureChecks(webTier(), { monthlyCost: 80, costThreshold: 50 });
    expect(checks.map((c) => [c.name, c.passed, requiresApproval(c)])).toEqual([
      ['no-open-ingress', false, false],
      ['cost-within-threshold', false, true],
    ]);
    expect(infrastructureChecks(planOf([])).every((c) => c.passed)).toBe(true);
  });
});
