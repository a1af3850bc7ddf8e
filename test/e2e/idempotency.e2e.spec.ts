import { jest } from '@jest/globals';
import { buildCdEvent, CdEventTypes } from '#cdevents';
import { ADMIN_TOKEN, bearer, startStandalone } from './standalone-harness.js';
import type { Running } from './telemetry-setup.js';
import { allEvents, setUp } from './telemetry-setup.js';

// Starting the embedded store takes tens of seconds on a loaded machine.
jest.setTimeout(240_000);

const admin = bearer(ADMIN_TOKEN);
const countOf = async (s: Running, type: string) => (await allEvents(s)).filter((e) => e.type === type).length;

describe('idempotent commands (standalone app)', () => {
  let s: Running;
  let token: string;
  beforeAll(async () => {
    s = await startStandalone();
    token = (await setUp(s, ['payments', 'shop'], { 'ci-payments': { kind: 'pipeline', roles: [['pipeline', 'payments']] } }))[
      'ci-payments'
    ]!;
    for (const id of ['alice', 'bob', 'carol', 'dave'])
      await s.http.post('/v1/principals').set(admin).send({ id, kind: 'user', displayName: id }).expect(201);
  });
  afterAll(async () => s.stop());

  describe('role grants', () => {
    it('a grant the principal already holds (same project, role and expiry) is a 200 with the existing grant', async () => {
      const grant = { principalId: 'alice', role: 'developer', project: 'payments', reason: 'joined' };
      const first = await s.http.post('/v1/role-grants').set(admin).send(grant).expect(201);
      const again = await s.http
        .post('/v1/role-grants')
        .set(admin)
        .send({ ...grant, reason: 'asked again' })
        .expect(200);
      expect(again.body).toEqual({ id: first.body.id });
      // Another expiry, project or role is another grant.
      const later = await s.http
        .post('/v1/role-grants')
        .set(admin)
        .send({ ...grant, expiresAt: '2099-01-01T00:00:00Z' })
        .expect(201);
      expect(later.body.id).not.toBe(first.body.id);
      const sameLater = await s.http
        .post('/v1/role-grants')
        .set(admin)
        .send({ ...grant, expiresAt: '2099-01-01T00:00:00.000+00:00' })
        .expect(200);
      expect(sameLater.body.id).toBe(later.body.id);
      await s.http
        .post('/v1/role-grants')
        .set(admin)
        .send({ ...grant, project: 'shop' })
        .expect(201);
      const grants = await s.http.get('/v1/role-grants?principalId=alice').set(admin).expect(200);
      expect(grants.body.items).toHaveLength(3);
    });

    it('after a revocation, the same grant is a new grant', async () => {
      const grant = { principalId: 'bob', role: 'qa', project: 'payments', reason: 'joined' };
      const first = await s.http.post('/v1/role-grants').set(admin).send(grant).expect(201);
      await s.http.post(`/v1/role-grants/${first.body.id}/revoke`).set(admin).send({ reason: 'left' }).expect(200);
      const second = await s.http.post('/v1/role-grants').set(admin).send(grant).expect(201);
      expect(second.body.id).not.toBe(first.body.id);
      await s.http.post('/v1/role-grants').set(admin).send(grant).expect(200);
    });

    it('50 concurrent identical grant requests give exactly one grant', async () => {
      const before = await countOf(s, 'RoleGranted');
      const grant = { principalId: 'carol', role: 'auditor', project: 'payments', reason: 'audit' };
      const answers = await Promise.all(Array.from({ length: 50 }, () => s.http.post('/v1/role-grants').set(admin).send(grant)));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((x) => x === 201)).toHaveLength(1);
      expect(statuses.filter((x) => x === 200)).toHaveLength(49);
      expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
      expect((await countOf(s, 'RoleGranted')) - before).toBe(1);
    });
  });

  describe('Idempotency-Key', () => {
    it('POST /v1/role-grants: the same key and body replays the answer without a new event; another body is 422', async () => {
      const grant = { principalId: 'dave', role: 'developer', project: 'payments', reason: 'joined' };
      const first = await s.http.post('/v1/role-grants').set(admin).set('Idempotency-Key', '"grant-dave-1"').send(grant).expect(201);
      const events = (await allEvents(s)).length;
      const replay = await s.http
        .post('/v1/role-grants')
        .set(admin)
        .set('Idempotency-Key', '"grant-dave-1"')
        .send({ reason: 'joined', project: 'payments', role: 'developer', principalId: 'dave' })
        .expect(201);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect((await allEvents(s)).length).toBe(events);
      const other = await s.http
        .post('/v1/role-grants')
        .set(admin)
        .set('Idempotency-Key', '"grant-dave-1"')
        .send({ ...grant, role: 'qa' })
        .expect(422);
      expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(other.body.detail).toMatch(/already used for a different request/);
      expect((await allEvents(s)).length).toBe(events);
      // Keys are per principal: another caller's same key is its own.
      await s.http
        .post('/v1/role-grants')
        .set(bearer(token))
        .set('Idempotency-Key', '"grant-dave-1"')
        .send({ ...grant, role: 'qa' })
        .expect(403);
    });

    it('replays a refusal as well, and refuses a malformed key', async () => {
      const bad = { principalId: 'dave', role: 'nope', project: 'payments', reason: 'x' };
      const first = await s.http.post('/v1/role-grants').set(admin).set('Idempotency-Key', 'k-invalid').send(bad).expect(400);
      const again = await s.http.post('/v1/role-grants').set(admin).set('Idempotency-Key', 'k-invalid').send(bad).expect(400);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const malformed = await s.http.post('/v1/role-grants').set(admin).set('Idempotency-Key', '"unterminated').send(bad).expect(400);
      expect(malformed.body.detail).toMatch(/Idempotency-Key/);
    });

    it('POST /v1/cdevents: the same key and body replays the first answer (202), stores nothing new; another body is 422', async () => {
      const event = buildCdEvent(CdEventTypes.PipelineRunStarted, {
        id: 'idem-1',
        source: '/ci/payments',
        timestamp: '2026-03-02T10:00:00Z',
        subject: { id: 'run-1', content: { pipelineName: 'build', uri: 'https://ci.example/1' } },
      });
      const post = (body: unknown, key: string) =>
        s.http
          .post('/v1/cdevents')
          .set(bearer(token))
          .set('content-type', 'application/json')
          .set('Idempotency-Key', key)
          .send(JSON.stringify(body));
      const first = await post(event, 'ingest-1').expect(202);
      const events = (await allEvents(s)).length;
      const replay = await post(event, 'ingest-1').expect(202);
      expect(replay.body).toEqual(first.body);
      expect((await allEvents(s)).length).toBe(events);
      // Without the key a retry is a 200 (recorded before); with it, the first answer itself.
      await s.http.post('/v1/cdevents').set(bearer(token)).set('content-type', 'application/json').send(JSON.stringify(event)).expect(200);
      await post({ ...event, context: { ...event.context, id: 'idem-2' } }, 'ingest-1').expect(422);
      expect((await allEvents(s)).filter((e) => e.data['id'] === 'idem-2')).toHaveLength(0);
    });

    it('leaves GET alone', async () => {
      const res = await s.http.get('/v1/projects').set(admin).set('Idempotency-Key', '"x"').expect(200);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
    });

    it('is documented in OpenAPI on state-changing operations', async () => {
      const doc = (await s.http.get('/docs-json').expect(200)).body;
      expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header' });
      expect(doc.paths['/v1/role-grants'].post.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
      expect(doc.paths['/v1/cdevents'].post.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
      expect(JSON.stringify(doc.paths['/v1/role-grants'].get.parameters ?? [])).not.toContain('IdempotencyKey');
    });
  });
});

describe('Idempotency-Key across a restart (standalone app, embedded store)', () => {
  it('replays the stored answer after the app restarts on the same data', async () => {
    let s = await startStandalone();
    const grant = { principalId: 'erin', role: 'developer', project: 'payments', reason: 'joined' };
    await s.http.post('/v1/projects').set(admin).send({ id: 'payments', name: 'payments' }).expect(201);
    await s.http.post('/v1/principals').set(admin).send({ id: 'erin', kind: 'user', displayName: 'Erin' }).expect(201);
    const first = await s.http.post('/v1/role-grants').set(admin).set('Idempotency-Key', '"restart-1"').send(grant).expect(201);
    const dataDir = s.dataDir;
    await s.stop(true);
    s = await startStandalone({ DATA_DIR: dataDir });
    try {
      const replay = await s.http.post('/v1/role-grants').set(admin).set('Idempotency-Key', '"restart-1"').send(grant).expect(201);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      await s.http
        .post('/v1/role-grants')
        .set(admin)
        .set('Idempotency-Key', '"restart-1"')
        .send({ ...grant, role: 'qa' })
        .expect(422);
    } finally {
      await s.stop();
    }
  });
});
