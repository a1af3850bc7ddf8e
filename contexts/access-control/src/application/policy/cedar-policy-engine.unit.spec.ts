import { CedarPolicyEngine } from './cedar-policy-engine.js';
import type { DecisionInput } from './policy-engine.js';
import { policyEngineContract } from './policy-engine.contract.js';
import { cedarPolicySources } from './policy-sources.js';

describe('access decisions with the embedded Cedar engine (built-in policies)', () => {
  policyEngineContract({
    engine: (sodConflictingRoles) =>
      Promise.resolve(CedarPolicyEngine.fromSources(cedarPolicySources({ sodConflictingRoles, policyDir: null }))),
  });
});

describe('Cedar engine', () => {
  const input = (resource: Record<string, unknown>): DecisionInput => ({
    principal: { id: 'bob', kind: 'user', roles: ['developer'], allRoles: ['developer'], groups: [] },
    action: 'pipeline.configure',
    resource: { type: 'pipeline', project: 'shop', ...resource },
    context: { isRead: false, isProduction: false, withinChangeWindow: true, emergencyApproved: false, now: '2026-01-01T00:00:00Z' },
  });

  it('counts a forbid that cannot be evaluated as applying (fails closed)', async () => {
    const engine = CedarPolicyEngine.fromSources([
      { name: 'base.cedar', text: '@id("allow-all") permit (principal, action, resource);' },
      {
        name: 'org.cedar',
        text: '@id("org.frozen") @reason("frozen pipelines") forbid (principal, action, resource) when { resource.frozen };',
      },
    ]);
    const broken = await engine.evaluate(input({}));
    expect(broken.allowed).toBe(false);
    expect(broken.forbids[0]).toMatchObject({ id: 'org.frozen' });
    expect(broken.forbids[0]!.reason).toMatch(/could not be evaluated/);
    expect((await engine.evaluate(input({ frozen: false }))).allowed).toBe(true);
    expect((await engine.evaluate(input({ frozen: true }))).allowed).toBe(false);
  });

  it('keeps JSON attributes Cedar cannot hold from breaking a request', async () => {
    const engine = CedarPolicyEngine.fromSources([
      { name: 'a.cedar', text: '@id("p") permit (principal, action, resource) when { resource.score == "0.5" && !(resource has gone) };' },
    ]);
    expect((await engine.evaluate(input({ score: 0.5, gone: null, __entity: { type: 'X', id: 'y' } }))).allowed).toBe(true);
  });

  it('judges each action by the policies that can apply to it, whatever the action', async () => {
    const engine = CedarPolicyEngine.fromSources([
      { name: 'a.cedar', text: '@id("all") permit (principal, action, resource) when { resource has open };' },
      {
        name: 'b.cedar',
        text: '@id("configure-only") forbid (principal, action == Action::"pipeline.configure", resource) when { resource.frozen };',
      },
      {
        name: 'c.cedar',
        text: '@id("listed") forbid (principal, action in [Action::"pipeline.run", Action::"x.y"], resource) when { resource has closed };',
      },
    ]);
    const ask = (action: string, resource: Record<string, unknown>) => engine.evaluate({ ...input(resource), action });
    expect((await ask('pipeline.run', { open: true })).allowed).toBe(true); // the broken forbid names another action
    expect((await ask('pipeline.configure', { open: true })).forbids.map((f) => f.id)).toEqual(['configure-only']);
    expect((await ask('pipeline.run', { open: true, closed: true })).forbids.map((f) => f.id)).toEqual(['listed']);
    expect((await ask('x.y', { open: true, closed: true })).allowed).toBe(false);
    expect((await ask('never.named', { open: true, closed: true })).allowed).toBe(true);
    expect((await ask('also.unnamed', {})).allowed).toBe(false);
  });

  it('refuses to load a bad policy file, naming it', () => {
    expect(() => CedarPolicyEngine.fromSources([{ name: 'org.cedar', text: 'permit (principal, action, resource' }])).toThrow(/org\.cedar/);
    expect(() =>
      CedarPolicyEngine.fromSources([
        { name: 'a.cedar', text: '@id("x") permit (principal, action, resource);' },
        { name: 'b.cedar', text: '@id("x") forbid (principal, action, resource);' },
      ]),
    ).toThrow(/used twice/);
  });

  it('versions the policy set by its content', () => {
    const a = CedarPolicyEngine.fromSources([{ name: 'a.cedar', text: '@id("x") permit (principal, action, resource);' }]);
    const b = CedarPolicyEngine.fromSources([{ name: 'a.cedar', text: '@id("x") forbid (principal, action, resource);' }]);
    expect(a.policyVersion).toMatch(/^cedar:[0-9a-f]{12}$/);
    expect(a.policyVersion).not.toBe(b.policyVersion);
  });
});
