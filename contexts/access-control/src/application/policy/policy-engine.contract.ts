import type { AccessDecision, AccessRequest, AuthenticatedPrincipal } from '#platform';
import type { AccessControlSettings } from '../../access-control.settings.js';
import { parseChangeWindow } from '../../access-control.settings.js';
import type { StreamAppend } from '#kernel';
import { ManualClock, SequentialIds } from '#kernel';
import type { GrantFact } from '../../read-models/access-control.queries.js';
import type { AccessFacts } from './access-facts.js';
import type { DecisionRecorder } from './decision-log.js';
import { PolicyAuthorizer } from './policy-authorizer.js';
import type { DecisionInput, PolicyEngine } from './policy-engine.js';

/** The examples every engine must decide alike, run through the real decision point. */
export interface PolicyEngineHarness {
  engine(sodConflictingRoles: readonly (readonly [string, string])[]): Promise<PolicyEngine>;
}

export const SOD_PAIRS: readonly (readonly [string, string])[] = [
  ['developer', 'release-manager'],
  ['qa', 'release-manager'],
];

/** Grants and project settings held in memory. */
export class MemoryAccessFacts implements AccessFacts {
  readonly grants = new Map<string, GrantFact[]>();
  readonly production = new Map<string, string[]>();
  private n = 0;

  grant(principalId: string, role: string, project: string, expiresAt: string | null = null): string {
    const id = `g${++this.n}`;
    this.grants.set(principalId, [...(this.grants.get(principalId) ?? []), { id, role, project, expiresAt }]);
    return id;
  }

  grantsOf(principalId: string): Promise<readonly GrantFact[]> {
    return Promise.resolve(this.grants.get(principalId) ?? []);
  }

  productionEnvironments(projectId: string): Promise<readonly string[]> {
    return Promise.resolve(this.production.get(projectId) ?? ['production']);
  }
}

export class ListRecorder implements DecisionRecorder {
  readonly records: { input: DecisionInput; decision: AccessDecision; engine: string }[] = [];
  record(input: DecisionInput, decision: AccessDecision, engine: string): Promise<void> {
    this.records.push({ input, decision, engine });
    return Promise.resolve();
  }
  /** A stand-in append that carries what was decided, so a test can see what it would record. */
  prepare(input: DecisionInput, decision: AccessDecision, engine: string): StreamAppend {
    const metadata = { actor: input.principal.id, correlationId: decision.decisionId, occurredAt: new Date(0).toISOString() };
    return {
      streamId: `decision-${decision.decisionId}`,
      expectedVersion: 'any',
      events: [{ eventId: decision.decisionId, type: 'Decided', data: { engine, allowed: decision.allowed }, metadata }],
    };
  }
}

const user = (id: string): AuthenticatedPrincipal => ({ id, kind: 'user' });
const QA = user('qa-quinn');
const DEV = user('dev-dana');
const LEAD = user('lead-lee');
const RM = user('rm-rita');
const OPS = user('ops-otto');
const CO = user('co-cora');
const ADMIN = user('admin-ada');
const CI: AuthenticatedPrincipal = { id: 'ci-shop', kind: 'pipeline' };

// Saturday noon and Tuesday noon (UTC), against a weekday business-hours window.
const WEEKEND = '2026-06-06T12:00:00Z';
const WEEKDAY = '2026-06-09T12:00:00Z';

export function policyEngineContract(harness: PolicyEngineHarness): void {
  let facts: MemoryAccessFacts;
  let recorder: ListRecorder;
  let clock: ManualClock;
  let pdp: PolicyAuthorizer;
  let engine: PolicyEngine;

  const config = (): Pick<AccessControlSettings, 'oidc' | 'sodConflictingRoles' | 'changeWindow'> => ({
    sodConflictingRoles: SOD_PAIRS,
    changeWindow: parseChangeWindow('mon-fri 09:00-17:00', 'Europe/London', []),
    oidc: {
      issuer: 'x',
      audience: 'x',
      jwksUrl: 'x',
      principalClaim: 'sub',
      groupsClaim: 'groups',
      kindClaim: null,
      groupRoles: [{ group: 'shop-devs', role: 'developer', project: 'shop' }],
    },
  });

  beforeAll(async () => {
    engine = await harness.engine(SOD_PAIRS);
  });

  beforeEach(() => {
    facts = new MemoryAccessFacts();
    recorder = new ListRecorder();
    clock = new ManualClock(WEEKDAY);
    pdp = new PolicyAuthorizer({ engine, facts, recorder, clock, ids: new SequentialIds('d'), config: config() });
    facts.production.set('shop', ['production', 'prod-eu']);
    facts.grant(QA.id, 'qa', 'shop');
    facts.grant(DEV.id, 'developer', 'shop');
    facts.grant(LEAD.id, 'team-lead', 'shop');
    facts.grant(RM.id, 'release-manager', 'shop');
    facts.grant(OPS.id, 'operations', 'shop');
    facts.grant(CO.id, 'compliance-officer', 'shop');
    facts.grant(ADMIN.id, 'platform-admin', 'shop');
    facts.grant(CI.id, 'pipeline', 'shop');
  });

  const ask = (
    principal: AuthenticatedPrincipal,
    action: string,
    resource: AccessRequest['resource'],
    context?: AccessRequest['context'],
  ) => pdp.decide({ principal, action, resource, ...(context ? { context } : {}) });
  const expectAllowed = async (decision: Promise<AccessDecision>) => {
    const d = await decision;
    expect({ allowed: d.allowed, rule: d.rule, reasons: d.reasons }).toMatchObject({ allowed: true, rule: undefined });
    return d;
  };
  const expectDenied = async (decision: Promise<AccessDecision>, rule: string) => {
    const d = await decision;
    expect({ allowed: d.allowed, rule: d.rule }).toEqual({ allowed: false, rule });
    return d;
  };
  const pipeline = (project = 'shop') => ({ type: 'pipeline', id: 'build', project });

  it('lets QA run pipelines on staging but not on production (nor without a named environment)', async () => {
    await expectAllowed(ask(QA, 'pipeline.run', pipeline(), { environment: 'staging' }));
    await expectDenied(ask(QA, 'pipeline.run', pipeline(), { environment: 'production' }), 'rbac.no-role-allows');
    await expectDenied(ask(QA, 'pipeline.run', pipeline(), { environment: 'prod-eu' }), 'rbac.no-role-allows');
    await expectDenied(ask(QA, 'pipeline.run', pipeline()), 'rbac.no-role-allows');
    await expectAllowed(ask(DEV, 'pipeline.run', pipeline(), { environment: 'production' }));
  });

  it('lets only release managers approve production deployments', async () => {
    const deployment = { type: 'deployment', id: 'd1', project: 'shop', requestedBy: DEV.id };
    const approved = await expectAllowed(ask(RM, 'deployment.approve', deployment, { environment: 'production' }));
    expect(approved.reasons.join()).toMatch(/rbac.release-manager/);
    await expectDenied(ask(LEAD, 'deployment.approve', deployment, { environment: 'production' }), 'abac.production-approval');
    await expectDenied(ask(ADMIN, 'deployment.approve', deployment, { environment: 'production' }), 'abac.production-approval');
    await expectAllowed(ask(LEAD, 'deployment.approve', deployment, { environment: 'staging' }));
    await expectDenied(ask(RM, 'deployment.approve', deployment), 'abac.environment-required');
  });

  it('lets developers read pipeline logs but not configure environments', async () => {
    await expectAllowed(ask(DEV, 'pipeline.read-logs', pipeline()));
    await expectDenied(
      ask(DEV, 'environment.configure', { type: 'environment', id: 'staging', project: 'shop' }, { environment: 'staging' }),
      'rbac.no-role-allows',
    );
    await expectAllowed(
      ask(LEAD, 'environment.configure', { type: 'environment', id: 'staging', project: 'shop' }, { environment: 'staging' }),
    );
  });

  it("lets a team lead read but not change another team's pipelines", async () => {
    await expectAllowed(ask(LEAD, 'pipeline.read-logs', pipeline('other')));
    await expectAllowed(ask(LEAD, 'pipeline.read', pipeline('other')));
    await expectDenied(ask(LEAD, 'pipeline.configure', pipeline('other')), 'rbac.no-role-allows');
    await expectDenied(ask(LEAD, 'pipeline.run', pipeline('other'), { environment: 'staging' }), 'rbac.no-role-allows');
    await expectAllowed(ask(LEAD, 'pipeline.configure', pipeline('shop')));
  });

  it('refuses the approval of a change by its author, also in production', async () => {
    facts.grant(DEV.id, 'team-lead', 'shop'); // even a developer who may approve changes
    const own = { type: 'change', id: 'c1', project: 'shop', authorId: DEV.id };
    await expectDenied(ask(DEV, 'change.approve', own, { environment: 'production' }), 'sod.self-approval');
    await expectAllowed(ask(LEAD, 'change.approve', own, { environment: 'production' }));
    await expectDenied(
      ask(RM, 'deployment.approve', { type: 'deployment', id: 'd2', project: 'shop', requestedBy: RM.id }, { environment: 'production' }),
      'sod.self-approval',
    );
    await expectDenied(ask(LEAD, 'change.approve', { type: 'change', id: 'c2', project: 'shop' }), 'sod.subject-facts-missing');
  });

  it('refuses a release manager the modification of test results', async () => {
    const results = { type: 'test-result', id: 't1', project: 'shop' };
    await expectDenied(ask(RM, 'test-result.modify', results), 'sod.release-manager-test-results');
    await expectAllowed(ask(QA, 'test-result.modify', results));
    facts.grant(RM.id, 'platform-admin', 'shop'); // forbid beats the admin's permit
    await expectDenied(ask(RM, 'test-result.modify', results), 'sod.release-manager-test-results');
  });

  it("lets a compliance officer read every project's audit trail and change nothing", async () => {
    await expectAllowed(ask(CO, 'audit.read', { type: 'audit-trail', project: 'shop' }));
    await expectAllowed(ask(CO, 'audit.read', { type: 'audit-trail', project: 'other' }));
    await expectAllowed(ask(CO, 'audit.read', { type: 'audit-trail', project: '*' }));
    await expectDenied(ask(CO, 'pipeline.configure', pipeline()), 'sod.read-only-role');
    await expectDenied(ask(CO, 'test-result.modify', { type: 'test-result', id: 't', project: 'shop' }), 'sod.read-only-role');
    await expectDenied(
      ask(CO, 'role.grant', { type: 'role-grant', project: 'shop', grantee: DEV.id, role: 'qa', granteeRoles: [] }),
      'sod.read-only-role',
    );
    await expectDenied(ask(CO, 'pipeline.configure', pipeline('other')), 'rbac.no-role-allows');
    await expectDenied(ask(DEV, 'audit.read', { type: 'audit-trail', project: 'shop' }), 'rbac.no-role-allows');
  });

  it('refuses role pairs that segregation of duties keeps apart, and grants to oneself', async () => {
    const grant = (grantee: string, role: string, granteeRoles: string[]) => ({
      type: 'role-grant',
      project: 'shop',
      grantee,
      role,
      granteeRoles,
    });
    const refused = await expectDenied(
      ask(ADMIN, 'role.grant', grant(RM.id, 'developer', ['release-manager'])),
      'sod.static:developer+release-manager',
    );
    expect(refused.reasons.join()).toMatch(/developer and release-manager/);
    await expectDenied(ask(ADMIN, 'role.grant', grant(QA.id, 'release-manager', ['qa'])), 'sod.static:qa+release-manager');
    await expectAllowed(ask(ADMIN, 'role.grant', grant(DEV.id, 'qa', ['developer'])));
    await expectDenied(ask(ADMIN, 'role.grant', grant(ADMIN.id, 'developer', ['platform-admin'])), 'sod.no-self-grant');
    await expectDenied(ask(DEV, 'role.grant', grant(QA.id, 'developer', ['qa'])), 'rbac.platform-admin-required');
  });

  it('refuses the deployment triggerer as its only approver', async () => {
    const deployment = (approvers: string[]) => ({
      type: 'deployment',
      id: 'd3',
      project: 'shop',
      requestedBy: CI.id,
      triggeredBy: RM.id,
      approvers,
    });
    await expectDenied(ask(RM, 'deployment.approve', deployment([]), { environment: 'production' }), 'sod.sole-approver');
    await expectDenied(ask(RM, 'deployment.approve', deployment([RM.id]), { environment: 'production' }), 'sod.sole-approver');
    await expectAllowed(ask(RM, 'deployment.approve', deployment([LEAD.id]), { environment: 'production' }));
  });

  it('keeps approvals to people', async () => {
    const build = { type: 'build', id: 'b1', project: 'shop', requestedBy: DEV.id };
    facts.grant(CI.id, 'qa', 'shop');
    await expectDenied(ask(CI, 'build.approve', build), 'abac.human-approval-required');
    await expectAllowed(ask(QA, 'build.approve', build));
  });

  it('guards data by classification', async () => {
    const artifact = (classification: string, project = 'shop') => ({ type: 'artifact', id: 'a1', project, classification });
    await expectAllowed(ask(DEV, 'artifact.read', artifact('internal')));
    await expectDenied(ask(DEV, 'artifact.read', artifact('restricted')), 'abac.restricted-data');
    await expectAllowed(ask(LEAD, 'artifact.read', artifact('restricted')));
    await expectAllowed(ask(CO, 'artifact.read', artifact('restricted', 'other')));
    await expectAllowed(ask(DEV, 'artifact.read', artifact('confidential')));
    await expectAllowed(ask(DEV, 'artifact.read', artifact('public', 'other')));
    await expectDenied(ask(DEV, 'artifact.read', artifact('confidential', 'other')), 'abac.confidential-data');
    await expectDenied(ask(DEV, 'artifact.read', artifact('secret')), 'abac.unknown-classification');
  });

  it('allows production changes only inside the change window, unless an approved emergency covers them', async () => {
    const deployment = { type: 'deployment', id: 'd4', project: 'shop' };
    await expectAllowed(ask(CI, 'deployment.execute', deployment, { environment: 'production' }));
    clock.set(WEEKEND);
    await expectDenied(ask(CI, 'deployment.execute', deployment, { environment: 'production' }), 'abac.outside-change-window');
    await expectAllowed(ask(CI, 'deployment.execute', deployment, { environment: 'production', emergencyApproved: true }));
    await expectDenied(
      ask(CI, 'deployment.execute', deployment, {
        environment: 'production',
        emergencyApproved: 'yes',
      } as unknown as AccessRequest['context']),
      'abac.outside-change-window',
    );
    await expectAllowed(ask(CI, 'deployment.execute', deployment, { environment: 'staging' }));
    await expectAllowed(ask(OPS, 'rollback.trigger', deployment, { environment: 'production' }));
  });

  it('stops honouring a grant the moment it expires', async () => {
    const temp = user('temp-tom');
    facts.grant(temp.id, 'developer', 'shop', new Date(clock.now().getTime() + 60_000).toISOString());
    await expectAllowed(ask(temp, 'pipeline.run', pipeline(), { environment: 'staging' }));
    clock.advance(60);
    await expectDenied(ask(temp, 'pipeline.run', pipeline(), { environment: 'staging' }), 'rbac.no-role-allows');
  });

  it('maps OIDC groups to roles, and ignores facts a caller tries to set', async () => {
    const oidc: AuthenticatedPrincipal = { id: 'oidc-olga', kind: 'user', via: 'oidc', groups: ['shop-devs'] };
    await expectAllowed(ask(oidc, 'pipeline.configure', pipeline()));
    await expectDenied(ask({ ...oidc, groups: [] }, 'pipeline.configure', pipeline()), 'rbac.no-role-allows');
    await expectDenied(ask(QA, 'pipeline.run', pipeline(), { environment: 'production', isProduction: false }), 'rbac.no-role-allows');
  });

  it('records denials and state-changing decisions in decision-log shape, not allowed reads', async () => {
    await ask(DEV, 'pipeline.read-logs', pipeline());
    expect(recorder.records).toHaveLength(0);
    const denied = await ask(DEV, 'audit.read', { type: 'audit-trail', project: 'shop' });
    const allowed = await ask(DEV, 'pipeline.run', pipeline(), { environment: 'staging' });
    expect(recorder.records.map((r) => [r.decision.decisionId, r.decision.allowed])).toEqual([
      [denied.decisionId, false],
      [allowed.decisionId, true],
    ]);
    const logged = recorder.records[1]!;
    expect(logged.engine).toBe(engine.name);
    expect(logged.input).toMatchObject({
      principal: { id: DEV.id, roles: ['developer'] },
      action: 'pipeline.run',
      resource: { type: 'pipeline', project: 'shop' },
      context: { environment: 'staging', isProduction: false, isRead: false },
    });
    expect(logged.decision.policyVersion).toMatch(new RegExp(`^${engine.name}:`));
  });

  it('leaves the record of an allowed command decision to the caller, and records a refusal itself', async () => {
    const deferred = await pdp.authorize({
      principal: DEV,
      action: 'pipeline.run',
      resource: pipeline(),
      context: { environment: 'staging' },
    });
    expect(deferred.decision.allowed).toBe(true);
    expect(recorder.records).toHaveLength(0);
    expect(deferred.record).toMatchObject({
      streamId: `decision-${deferred.decision.decisionId}`,
      events: [{ data: { engine: engine.name, allowed: true } }],
    });
    await expect(
      pdp.authorize({ principal: DEV, action: 'audit.read', resource: { type: 'audit-trail', project: 'shop' } }),
    ).rejects.toMatchObject({
      rule: 'rbac.no-role-allows',
    });
    expect(recorder.records.map((r) => r.decision.allowed)).toEqual([false]);
    // An allowed read has nothing to record.
    const read = await pdp.authorize({ principal: DEV, action: 'pipeline.read-logs', resource: pipeline() });
    expect(read).toMatchObject({ decision: { allowed: true }, record: null });
    expect(recorder.records).toHaveLength(1);
  });

  it('lists the projects where a principal may act, for filtering reads', async () => {
    expect(await pdp.projectsWhere(QA, 'pipeline.read-logs')).toEqual(['shop']);
    expect(await pdp.projectsWhere(DEV, 'pipeline.read-logs')).toBe('*');
    expect(await pdp.projectsWhere(DEV, 'audit.read')).toEqual([]);
    expect(await pdp.projectsWhere(CO, 'audit.read')).toBe('*');
    expect(await pdp.projectsWhere(RM, 'version.tag')).toEqual(['shop']);
    expect(await pdp.projectsWhere(user('nobody'), 'project.read')).toEqual([]);
    expect(recorder.records).toHaveLength(0);
  });

  it('answers projectsWhere afresh as soon as grants change or one expires', async () => {
    const temp = user('temp-tia');
    expect(await pdp.projectsWhere(temp, 'pipeline.read-logs')).toEqual([]);
    facts.grant(temp.id, 'qa', 'shop', new Date(clock.now().getTime() + 30_000).toISOString());
    expect(await pdp.projectsWhere(temp, 'pipeline.read-logs')).toEqual(['shop']);
    facts.grant(temp.id, 'qa', 'other');
    expect(await pdp.projectsWhere(temp, 'pipeline.read-logs')).toEqual(['other', 'shop']);
    clock.advance(30);
    expect(await pdp.projectsWhere(temp, 'pipeline.read-logs')).toEqual(['other']);
  });
}
