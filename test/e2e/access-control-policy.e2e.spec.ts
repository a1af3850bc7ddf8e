import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, RecordedEvent } from '#kernel';
import { START } from '#kernel';
import { EVENT_STORE } from '#platform';
import { ADMIN_TOKEN, bearer, startStandalone } from './standalone-harness.js';

type Running = Awaited<ReturnType<typeof startStandalone>>;

const ORG_POLICY = `@id("org.release-freeze")
@reason("the frozen project takes no new versions")
forbid (principal, action == Action::"version.tag", resource)
when { resource has project && resource.project == "frozen" };`;

/** RBAC, ABAC and segregation of duties through HTTP on the standalone app (embedded Cedar engine). */
describe('access control over HTTP: one decision point for every action', () => {
  let s: Running;
  let policyDir: string;
  const tokens: Record<string, string> = {};
  const admin = bearer(ADMIN_TOKEN);
  const as = (who: string) => bearer(tokens[who]!);

  async function principal(id: string, kind: 'user' | 'pipeline' = 'user') {
    await s.http.post('/v1/principals').set(admin).send({ id, kind, displayName: id }).expect(201);
    tokens[id] = (await s.http.post(`/v1/principals/${id}/tokens`).set(admin).send({}).expect(201)).body.token as string;
  }
  const grant = (principalId: string, role: string, project: string, expiresAt?: string) =>
    s.http
      .post('/v1/role-grants')
      .set(admin)
      .send({ principalId, role, project, reason: 'e2e', ...(expiresAt ? { expiresAt } : {}) });
  const decide = (
    principalId: string,
    action: string,
    resource: Record<string, unknown>,
    context?: Record<string, unknown>,
    caller = admin,
  ) =>
    s.http
      .post('/v1/access/decisions')
      .set(caller)
      .send({ principalId, action, resource, ...(context ? { context } : {}) });
  const expectDecision = async (res: ReturnType<typeof decide>, allowed: boolean, rule?: string) => {
    const body = (await res.expect(200)).body as {
      allowed: boolean;
      rule?: string;
      reasons: string[];
      decisionId: string;
      policyVersion: string;
    };
    expect({ allowed: body.allowed, rule: body.rule }).toEqual({ allowed, rule });
    expect(body.reasons.length).toBeGreaterThan(0);
    expect(body.policyVersion).toMatch(/^cedar:[0-9a-f]{12}$/);
    return body;
  };

  beforeAll(async () => {
    policyDir = mkdtempSync(join(tmpdir(), 'ledger-policies-'));
    writeFileSync(join(policyDir, 'org.cedar'), ORG_POLICY);
    s = await startStandalone({ POLICY_DIR: policyDir });
    for (const id of ['shop', 'other', 'frozen']) await s.http.post('/v1/projects').set(admin).send({ id, name: id }).expect(201);
    for (const id of ['qa-quinn', 'dev-dana', 'lead-lee', 'rm-rita', 'co-cora']) await principal(id);
    await principal('ci-shop', 'pipeline');
    await grant('qa-quinn', 'qa', 'shop').expect(201);
    await grant('dev-dana', 'developer', 'shop').expect(201);
    await grant('lead-lee', 'team-lead', 'shop').expect(201);
    await grant('rm-rita', 'release-manager', 'shop').expect(201);
    await grant('rm-rita', 'release-manager', 'frozen').expect(201);
    await grant('co-cora', 'compliance-officer', 'shop').expect(201);
    await grant('ci-shop', 'pipeline', 'shop').expect(201);
  });
  afterAll(async () => {
    await s.stop();
    rmSync(policyDir, { recursive: true, force: true });
  });

  it('answers the contract shape and lets QA run pipelines on staging but not production', async () => {
    const ok = await expectDecision(
      decide('qa-quinn', 'pipeline.run', { type: 'pipeline', id: 'build', project: 'shop' }, { environment: 'staging' }),
      true,
    );
    expect(Object.keys(ok).sort()).toEqual(['allowed', 'decisionId', 'policyVersion', 'reasons']);
    await expectDecision(
      decide('qa-quinn', 'pipeline.run', { type: 'pipeline', id: 'build', project: 'shop' }, { environment: 'production' }),
      false,
      'rbac.no-role-allows',
    );
  });

  it('lets only release managers approve production deployments', async () => {
    const deployment = { type: 'deployment', id: 'd1', project: 'shop', requestedBy: 'ci-shop', triggeredBy: 'ci-shop', approvers: [] };
    await expectDecision(decide('rm-rita', 'deployment.approve', deployment, { environment: 'production' }), true);
    await expectDecision(
      decide('lead-lee', 'deployment.approve', deployment, { environment: 'production' }),
      false,
      'abac.production-approval',
    );
    await expectDecision(
      decide('admin', 'deployment.approve', deployment, { environment: 'production' }),
      false,
      'abac.production-approval',
    );
  });

  it('lets developers read pipeline logs but not change environment configuration', async () => {
    await expectDecision(decide('dev-dana', 'pipeline.read-logs', { type: 'pipeline', id: 'build', project: 'shop' }), true);
    await expectDecision(
      decide('dev-dana', 'environment.configure', { type: 'environment', id: 'staging', project: 'shop' }, { environment: 'staging' }),
      false,
      'rbac.no-role-allows',
    );
  });

  it("lets a team lead read but not change another team's pipelines", async () => {
    await expectDecision(decide('lead-lee', 'pipeline.read-logs', { type: 'pipeline', id: 'web', project: 'other' }), true);
    await expectDecision(
      decide('lead-lee', 'pipeline.configure', { type: 'pipeline', id: 'web', project: 'other' }),
      false,
      'rbac.no-role-allows',
    );
  });

  it('refuses a developer the approval of their own change to production', async () => {
    await expectDecision(
      decide(
        'dev-dana',
        'change.approve',
        { type: 'change', id: 'c1', project: 'shop', authorId: 'dev-dana' },
        { environment: 'production' },
      ),
      false,
      'sod.self-approval',
    );
  });

  it('refuses a release manager the modification of test results', async () => {
    await expectDecision(
      decide('rm-rita', 'test-result.modify', { type: 'test-result', id: 't1', project: 'shop' }),
      false,
      'sod.release-manager-test-results',
    );
    await expectDecision(decide('qa-quinn', 'test-result.modify', { type: 'test-result', id: 't1', project: 'shop' }), true);
  });

  it("lets a compliance officer read every project's audit trail and change nothing", async () => {
    for (const project of ['shop', 'other', 'frozen'])
      await expectDecision(decide('co-cora', 'audit.read', { type: 'audit-trail', project }), true);
    await expectDecision(
      decide('co-cora', 'pipeline.configure', { type: 'pipeline', id: 'build', project: 'shop' }),
      false,
      'sod.read-only-role',
    );
    await s.http
      .put('/v1/projects/shop/settings')
      .set(as('co-cora'))
      .send({ environments: ['dev'], productionEnvironments: [] })
      .expect(403);
    await s.http.post('/v1/projects').set(as('co-cora')).send({ id: 'mine', name: 'Mine' }).expect(403);
    // …and may ask what anyone may do, since that is a read.
    await decide('dev-dana', 'pipeline.run', { type: 'pipeline', project: 'shop' }, { environment: 'staging' }, as('co-cora')).expect(200);
  });

  it("applies the organisation's own policies from POLICY_DIR", async () => {
    await expectDecision(decide('rm-rita', 'version.tag', { type: 'artifact', id: 'v1', project: 'shop' }), true);
    const frozen = await expectDecision(
      decide('rm-rita', 'version.tag', { type: 'artifact', id: 'v1', project: 'frozen' }),
      false,
      'org.release-freeze',
    );
    expect(frozen.reasons[0]).toMatch(/frozen project/);
  });

  it('lets everyone ask about themselves, and only reviewers about others', async () => {
    await expectDecision(
      decide('dev-dana', 'pipeline.run', { type: 'pipeline', project: 'shop' }, { environment: 'staging' }, as('dev-dana')),
      true,
    );
    const refused = await decide('qa-quinn', 'pipeline.run', { type: 'pipeline', project: 'shop' }, undefined, as('dev-dana')).expect(403);
    expect(refused.body.rule).toBe('rbac.no-role-allows');
    await decide('ghost', 'pipeline.run', { type: 'pipeline', project: 'shop' }).expect(404);
    const bad = await decide('dev-dana', 'pipeline.run', { project: 'Not Valid' }, { environment: 3 }).expect(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/context/environment',
      '/resource/project',
      '/resource/type',
    ]);
  });

  it('refuses a grant that breaks static segregation of duties, naming the rule, and stores no grant', async () => {
    const refused = await grant('rm-rita', 'developer', 'shop').expect(403);
    expect(refused.body.rule).toBe('sod.static:developer+release-manager');
    expect(refused.body.detail).toMatch(/developer and release-manager/);
    const grants = await s.http.get('/v1/role-grants?principalId=rm-rita').set(admin).expect(200);
    expect(grants.body.items.map((g: { role: string; project: string }) => `${g.role}@${g.project}`).sort()).toEqual([
      'release-manager@frozen',
      'release-manager@shop',
    ]);
    await grant('rm-rita', 'developer', 'other').expect(201); // another project is no conflict
  });

  it('records every denial and every state-changing decision as an OPA-shaped decision-log event', async () => {
    const denied = await decide(
      'dev-dana',
      'environment.configure',
      { type: 'environment', id: 'prod', project: 'shop' },
      { environment: 'production' },
    ).expect(200);
    const allowedRead = await decide('dev-dana', 'pipeline.read-logs', { type: 'pipeline', id: 'build', project: 'shop' }).expect(200);
    const events = await allEvents(s.app.get<EventStore>(EVENT_STORE));
    const logged = events.filter((e) => e.type === 'AccessDenied' || e.type === 'AccessAllowed');
    const entry = logged.find((e) => e.data['decision_id'] === denied.body.decisionId);
    expect(entry).toMatchObject({
      type: 'AccessDenied',
      streamId: `access-decision-${denied.body.decisionId}`,
      metadata: { actor: 'dev-dana', project: 'shop', context: 'access-control' },
      data: {
        decision_id: denied.body.decisionId,
        input: {
          principal: { id: 'dev-dana', roles: ['developer'] },
          action: 'environment.configure',
          resource: { project: 'shop' },
          context: { environment: 'production', isProduction: true },
        },
        result: { allowed: false, rule: 'rbac.no-role-allows' },
        policy_version: denied.body.policyVersion,
      },
    });
    expect(typeof entry!.data['timestamp']).toBe('string');
    expect(logged.some((e) => e.data['decision_id'] === allowedRead.body.decisionId)).toBe(false);
    // The admin's own allowed, state-changing actions are on record too (its project creations).
    expect(logged.some((e) => e.type === 'AccessAllowed' && (e.data['input'] as { action: string }).action === 'project.create')).toBe(
      true,
    );
  });

  it('filters lists to what the caller may see', async () => {
    const ids = async (who: string) =>
      ((await s.http.get('/v1/projects').set(as(who)).expect(200)).body.items as { id: string }[]).map((p) => p.id);
    expect(await ids('qa-quinn')).toEqual(['shop']);
    expect(await ids('dev-dana')).toEqual(['frozen', 'other', 'shop']);
    const grants = await s.http.get('/v1/role-grants').set(as('qa-quinn')).expect(200);
    expect(new Set(grants.body.items.map((g: { project: string }) => g.project))).toEqual(new Set(['shop']));
  });

  it('keeps project settings as validated events that decisions follow', async () => {
    const before = await s.http.get('/v1/projects/shop/settings').set(as('dev-dana')).expect(200);
    expect(before.body).toMatchObject({
      project: 'shop',
      environments: ['dev', 'staging', 'production'],
      productionEnvironments: ['production'],
      version: 0,
    });
    const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const settings = {
      environments: ['dev', 'staging', 'live'],
      productionEnvironments: ['live'],
      trustedKeys: [{ keyId: 'k1', algorithm: 'ed25519', publicKey }],
      allowedBuilders: [{ id: 'https://github.com/actions/runner', slsaLevel: 3 }],
      expectedSource: { repository: 'https://github.com/acme/shop', ref: 'refs/heads/main' },
      sbomMaxAgeDays: 30,
      maxVulnerabilitySeverity: 'medium',
      approvalPolicies: [
        {
          action: 'deployment.approve',
          environment: 'live',
          rules: [{ role: 'release-manager', count: 1 }],
          emergency: { rules: [{ role: 'team-lead', count: 1 }], reviewWithinSeconds: 86400 },
        },
      ],
    };
    const saved = await s.http.put('/v1/projects/shop/settings').set(admin).send(settings).expect(200);
    expect(saved.body).toMatchObject({ ...settings, project: 'shop', version: 1, updatedBy: 'admin' });
    const events = await allEvents(s.app.get<EventStore>(EVENT_STORE));
    expect(events.filter((e) => e.type === 'ProjectSettingsChanged' && e.streamId === 'project-shop')).toHaveLength(1);
    await expectDecision(
      decide('qa-quinn', 'pipeline.run', { type: 'pipeline', project: 'shop' }, { environment: 'live' }),
      false,
      'rbac.no-role-allows',
    );
    await s.http.put('/v1/projects/shop/settings').set(as('lead-lee')).send(settings).expect(403);
    const wrongKey = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const bad = await s.http
      .put('/v1/projects/shop/settings')
      .set(admin)
      .send({
        ...settings,
        productionEnvironments: ['prod'],
        trustedKeys: [{ keyId: 'k2', algorithm: 'ecdsa-p256', publicKey: wrongKey, extra: 1 }],
      })
      .expect(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/trustedKeys/0/extra']));
    const inconsistent = await s.http
      .put('/v1/projects/shop/settings')
      .set(admin)
      .send({ ...settings, productionEnvironments: ['prod'] })
      .expect(400);
    expect(inconsistent.body.errors).toEqual([{ pointer: '/productionEnvironments/0', message: '"prod" is not one of environments' }]);
    const curve = await s.http
      .put('/v1/projects/shop/settings')
      .set(admin)
      .send({ ...settings, trustedKeys: [{ keyId: 'k2', algorithm: 'ecdsa-p256', publicKey: wrongKey }] })
      .expect(400);
    expect(curve.body.errors).toEqual([{ pointer: '/trustedKeys/0/publicKey', message: 'is not an ecdsa-p256 public key' }]);
    expect((await s.http.get('/v1/projects/shop/settings').set(admin).expect(200)).body.version).toBe(1);
    await s.http.get('/v1/projects/nowhere/settings').set(admin).expect(404);
  });

  it('stops honouring a revoked grant at once, and an expired one the moment it expires', async () => {
    await principal('temp-tom');
    const { body } = await grant('temp-tom', 'developer', 'other').expect(201);
    await s.http.get('/v1/projects/other/settings').set(as('temp-tom')).expect(200);
    await s.http.post(`/v1/role-grants/${body.id}/revoke`).set(admin).send({ reason: 'left' }).expect(200);
    await s.http.get('/v1/projects/other/settings').set(as('temp-tom')).expect(403);

    const expiresAt = new Date(Date.now() + 1500).toISOString();
    await grant('temp-tom', 'developer', 'other', expiresAt).expect(201);
    await expectDecision(decide('temp-tom', 'pipeline.configure', { type: 'pipeline', project: 'other' }, undefined, as('temp-tom')), true);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, new Date(expiresAt).getTime() - Date.now() + 50)));
    await expectDecision(
      decide('temp-tom', 'pipeline.configure', { type: 'pipeline', project: 'other' }, undefined, as('temp-tom')),
      false,
      'rbac.no-role-allows',
    );
    await s.http.get('/v1/projects/other/settings').set(as('temp-tom')).expect(403);
  });
});

/** Every event once, by id (a page may repeat events across pages; what counts here is what was stored). */
async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const out = new Map<string, RecordedEvent>();
  let cursor = START;
  for (;;) {
    const batch = await store.readAll(cursor, { limit: 1000 });
    if (batch.length === 0) return [...out.values()];
    for (const event of batch) out.set(event.eventId, event);
    cursor = batch[batch.length - 1]!.cursor;
  }
}
