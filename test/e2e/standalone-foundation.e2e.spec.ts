import { ADMIN_TOKEN, bearer, startStandalone } from './standalone-harness.js';

type Running = Awaited<ReturnType<typeof startStandalone>>;

describe('standalone app: platform foundation over HTTP (embedded store)', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startStandalone();
  });
  afterAll(async () => s.stop());

  it('serves /health without a token', async () => {
    const res = await s.http.get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.eventStore.status).toBe('up');
  });

  it('serves OpenAPI at /docs and /docs-json without a token', async () => {
    await s.http.get('/docs').redirects(1).expect(200);
    const res = await s.http.get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/projects', '/v1/principals', '/v1/role-grants', '/health']));
  });

  it('serves Prometheus metrics', async () => {
    await s.http.get('/health');
    const res = await s.http.get('/metrics').expect(200);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket/);
  });

  it('answers 401 problem+json without a token or with a wrong one', async () => {
    const none = await s.http.post('/v1/projects').send({ id: 'x', name: 'x' }).expect(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.body).toMatchObject({ status: 401, title: 'Authentication required' });
    expect(none.body.type).toMatch(/^https:\/\//);
    await s.http.post('/v1/projects').set(bearer('clt_not-a-real-token')).send({ id: 'x', name: 'x' }).expect(401);
    await s.http.post('/v1/projects').set({ Authorization: 'Basic abc' }).send({ id: 'x', name: 'x' }).expect(401);
  });

  it('lets the bootstrap admin create a project, principal, token and grant', async () => {
    await s.http
      .post('/v1/projects')
      .set(bearer(ADMIN_TOKEN))
      .send({ id: 'payments', name: 'Payments' })
      .expect(201, { id: 'payments', name: 'Payments' });
    await s.http.post('/v1/principals').set(bearer(ADMIN_TOKEN)).send({ id: 'alice', kind: 'user', displayName: 'Alice' }).expect(201);
    const token = await s.http.post('/v1/principals/alice/tokens').set(bearer(ADMIN_TOKEN)).send({}).expect(201);
    expect(token.body.token).toMatch(/^clt_/);
    const grant = await s.http
      .post('/v1/role-grants')
      .set(bearer(ADMIN_TOKEN))
      .send({ principalId: 'alice', role: 'developer', project: 'payments', reason: 'joined the team' })
      .expect(201);
    expect(typeof grant.body.id).toBe('string');
    // Alice is authenticated, but not a platform admin.
    const refused = await s.http.post('/v1/projects').set(bearer(token.body.token)).send({ id: 'other', name: 'Other' }).expect(403);
    expect(refused.body.rule).toBe('rbac.platform-admin-required');
    await s.http.post(`/v1/role-grants/${grant.body.id}/revoke`).set(bearer(ADMIN_TOKEN)).send({ reason: 'left' }).expect(200);
    await s.http.post(`/v1/role-grants/${grant.body.id}/revoke`).set(bearer(ADMIN_TOKEN)).send({ reason: 'again' }).expect(409);
  });

  it('stops accepting a revoked token at once', async () => {
    await s.http.post('/v1/principals').set(bearer(ADMIN_TOKEN)).send({ id: 'ci-bot', kind: 'pipeline', displayName: 'CI' }).expect(201);
    const issued = await s.http.post('/v1/principals/ci-bot/tokens').set(bearer(ADMIN_TOKEN)).send({}).expect(201);
    await s.http.get('/v1/principals/ci-bot/tokens').set(bearer(issued.body.token)).expect(200);
    await s.http.delete(`/v1/principals/ci-bot/tokens/${issued.body.id}`).set(bearer(ADMIN_TOKEN)).expect(204);
    await s.http.get('/v1/principals/ci-bot/tokens').set(bearer(issued.body.token)).expect(401);
    const list = await s.http.get('/v1/principals/ci-bot/tokens').set(bearer(ADMIN_TOKEN)).expect(200);
    expect(list.body.items[0].revokedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(issued.body.token);
  });

  it('lets a platform admin rebuild a projection to the same state, and nobody else', async () => {
    const before = await s.http.get('/v1/principals/alice/tokens').set(bearer(ADMIN_TOKEN)).expect(200);
    const rebuilt = await s.http.post('/v1/admin/projections/access-control/rebuild').set(bearer(ADMIN_TOKEN)).expect(200);
    expect(rebuilt.body).toMatchObject({ name: 'access-control', error: null });
    const after = await s.http.get('/v1/principals/alice/tokens').set(bearer(ADMIN_TOKEN)).expect(200);
    expect(after.body).toEqual(before.body);
    await s.http.post('/v1/admin/projections/nope/rebuild').set(bearer(ADMIN_TOKEN)).expect(404);
    const alice = await s.http.post('/v1/principals/alice/tokens').set(bearer(ADMIN_TOKEN)).send({}).expect(201);
    await s.http.get('/v1/admin/projections').set(bearer(alice.body.token)).expect(403);
  });

  it('refuses a role granted to oneself, naming the rule', async () => {
    const res = await s.http
      .post('/v1/role-grants')
      .set(bearer(ADMIN_TOKEN))
      .send({ principalId: 'admin', role: 'developer', project: 'payments', reason: 'me' })
      .expect(403);
    expect(res.body.rule).toBe('sod.no-self-grant');
  });
});

describe('standalone app: bad input changes nothing', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startStandalone();
  });
  afterAll(async () => s.stop());

  it('rejects malformed JSON with 400 problem+json', async () => {
    const res = await s.http
      .post('/v1/projects')
      .set(bearer(ADMIN_TOKEN))
      .set('Content-Type', 'application/json')
      .send('{"id": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, detail: 'request body is not valid JSON' });
    expect(res.body.errors[0].pointer).toBe('');
  });

  it('names every bad field with a JSON pointer: wrong types, unknown fields, bad patterns', async () => {
    const res = await s.http
      .post('/v1/role-grants')
      .set(bearer(ADMIN_TOKEN))
      .send({ principalId: 42, role: 'wizard', project: 'Not Valid', reason: '', extra: true, expiresAt: 'tomorrow' })
      .expect(400);
    const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/principalId', '/role', '/project', '/reason', '/extra', '/expiresAt']));
    expect(res.body.errors.find((e: { pointer: string }) => e.pointer === '/extra').message).toBe('unknown field');
  });

  it('refuses a lone surrogate escape in a JSON body with 400 naming the field, storing nothing', async () => {
    const res = await s.http
      .post('/v1/projects')
      .set(bearer(ADMIN_TOKEN))
      .set('Content-Type', 'application/json')
      .send('{"id": "lone", "name": "Lone \\ud800 project"}')
      .expect(400);
    expect(res.body.errors).toEqual([{ pointer: '/name', message: expect.stringMatching(/not well-formed Unicode/) }]);
    await s.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send({ id: 'lone', name: 'Lone' }).expect(201);
  });

  it('answers 413 for an oversized body and stays up', async () => {
    const big = { id: 'big', name: 'x'.repeat(100_000) };
    const res = await s.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send(big).expect(413);
    expect(res.body.status).toBe(413);
    await s.http.get('/health').expect(200);
  });

  it('stores nothing for rejected requests and 409s a duplicate', async () => {
    await s.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send({ id: 'BAD ID', name: 'x' }).expect(400);
    await s.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send({ id: 'shop', name: 'Shop' }).expect(201);
    await s.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send({ id: 'shop', name: 'Shop 2' }).expect(409);
    await s.http
      .post('/v1/role-grants')
      .set(bearer(ADMIN_TOKEN))
      .send({ principalId: 'ghost', role: 'qa', project: 'shop', reason: 'r' })
      .expect(404);
    await s.http.get('/v1/nowhere').set(bearer(ADMIN_TOKEN)).expect(404);
  });
});
