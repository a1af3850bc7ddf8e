import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { EventStore } from '#kernel';
import { createApp, EVENT_STORE, loadConfig } from '#platform';
import { createScratchDatabase, testOpaUrl } from '#testing';
import { standaloneApp } from '../../apps/standalone/src/standalone.app.js';
import { builtInPolicyDir } from '../../contexts/access-control/src/application/policy/policy-sources.js';

const ADMIN = 'integration-access-token-0123456789';
const admin = { Authorization: `Bearer ${ADMIN}` };
const suffix = randomBytes(4).toString('hex');
const opa = testOpaUrl();

/** The app on real PostgreSQL with POLICY_ENGINE=opa: the same HTTP examples, decided by the Rego policy. */
describe('access control over HTTP with the OPA engine on PostgreSQL', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const rego = readFileSync(join(builtInPolicyDir(), 'access.rego'), 'utf8').replace(
      /^package compliance_ledger\.access$/m,
      `package it_${suffix}.access`,
    );
    const put = await fetch(`${opa}/v1/policies/it-http-${suffix}`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: rego,
    });
    expect(put.status).toBe(200);
    scratch = await createScratchDatabase();
    const config = loadConfig({
      DATABASE_URL: scratch.url,
      BOOTSTRAP_ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'silent',
      POLICY_ENGINE: 'opa',
      OPA_URL: opa,
      OPA_DECISION_PATH: `it_${suffix}/access/decision`,
    });
    app = await createApp(standaloneApp, config);
    await app.init();
    http = request(app.getHttpServer());
    await http.post('/v1/projects').set(admin).send({ id: 'shop', name: 'Shop' }).expect(201);
    for (const [id, role] of [
      ['qa-quinn', 'qa'],
      ['rm-rita', 'release-manager'],
      ['dev-dana', 'developer'],
    ] as const) {
      await http.post('/v1/principals').set(admin).send({ id, kind: 'user', displayName: id }).expect(201);
      tokens[id] = (await http.post(`/v1/principals/${id}/tokens`).set(admin).send({}).expect(201)).body.token as string;
      await http.post('/v1/role-grants').set(admin).send({ principalId: id, role, project: 'shop', reason: 'it' }).expect(201);
    }
  });
  afterAll(async () => {
    await app?.close();
    await scratch?.drop();
    await fetch(`${opa}/v1/policies/it-http-${suffix}`, { method: 'DELETE' });
  });

  const decide = (principalId: string, action: string, resource: Record<string, unknown>, context?: Record<string, unknown>) =>
    http
      .post('/v1/access/decisions')
      .set(admin)
      .send({ principalId, action, resource, ...(context ? { context } : {}) })
      .expect(200);

  it('decides the examples through OPA', async () => {
    expect(
      (await decide('qa-quinn', 'pipeline.run', { type: 'pipeline', project: 'shop' }, { environment: 'staging' })).body,
    ).toMatchObject({ allowed: true, policyVersion: 'opa:access-rego-1' });
    expect(
      (await decide('qa-quinn', 'pipeline.run', { type: 'pipeline', project: 'shop' }, { environment: 'production' })).body,
    ).toMatchObject({ allowed: false, rule: 'rbac.no-role-allows' });
    expect((await decide('rm-rita', 'test-result.modify', { type: 'test-result', project: 'shop' })).body).toMatchObject({
      allowed: false,
      rule: 'sod.release-manager-test-results',
    });
    expect(
      (await decide('dev-dana', 'change.approve', { type: 'change', project: 'shop', authorId: 'dev-dana' }, { environment: 'production' }))
        .body,
    ).toMatchObject({ allowed: false, rule: 'sod.self-approval' });
  });

  it('refuses a conflicting grant through OPA, and the admin actions it allows are recorded', async () => {
    const refused = await http
      .post('/v1/role-grants')
      .set(admin)
      .send({ principalId: 'rm-rita', role: 'developer', project: 'shop', reason: 'it' })
      .expect(403);
    expect(refused.body.rule).toBe('sod.static:developer+release-manager');
    const events = await app.get<EventStore>(EVENT_STORE).readAll('0:0', { limit: 5000 });
    const denied = events.find(
      (e) => e.type === 'AccessDenied' && (e.data['result'] as { rule?: string }).rule === 'sod.static:developer+release-manager',
    );
    expect(denied?.data).toMatchObject({
      engine: 'opa',
      path: `it_${suffix}/access/decision`,
      input: { action: 'role.grant', resource: { grantee: 'rm-rita', granteeRoles: ['release-manager'] } },
    });
    expect(events.some((e) => e.type === 'AccessAllowed' && e.data['engine'] === 'opa')).toBe(true);
  });

  it('stops honouring a revoked grant at once', async () => {
    await http
      .get('/v1/projects/shop/settings')
      .set({ Authorization: `Bearer ${tokens['qa-quinn']}` })
      .expect(200);
    const grants = await http.get('/v1/role-grants?principalId=qa-quinn').set(admin).expect(200);
    await http.post(`/v1/role-grants/${grants.body.items[0].id}/revoke`).set(admin).send({ reason: 'left' }).expect(200);
    const refused = await http
      .get('/v1/projects/shop/settings')
      .set({ Authorization: `Bearer ${tokens['qa-quinn']}` })
      .expect(403);
    expect(refused.body.rule).toBe('rbac.no-role-allows');
  });
});
