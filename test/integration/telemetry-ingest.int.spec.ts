import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { buildCdEvent, CdEventTypes, toCloudEventBatch } from '#cdevents';
import type { SqlDatabase } from '#event-store';
import { createApp, loadConfig, SQL_DATABASE } from '#platform';
import { createScratchDatabase } from '#testing';
import { standaloneApp } from '../../apps/standalone/src/standalone.app.js';

const ADMIN = 'integration-bootstrap-token-0123456789';
const admin = { Authorization: `Bearer ${ADMIN}` };

const deployed = (id: string, artifact = 'pkg:oci/checkout@sha256:a1') =>
  buildCdEvent(CdEventTypes.ServiceDeployed, {
    id,
    source: '/cd/argo',
    timestamp: '2026-03-01T12:00:00Z',
    subject: { id: 'checkout', content: { environment: { id: 'production' }, artifactId: artifact } },
  });

describe('CDEvents ingest on real PostgreSQL (scratch database)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let pipeline: { Authorization: string };
  const stored = async (id: string) =>
    app
      .get<SqlDatabase>(SQL_DATABASE)
      .query<{ stream_id: string; data: { project: string } }>(
        `SELECT stream_id, data FROM events WHERE type = 'CdEventRecorded' AND data->>'id' = $1`,
        [id],
      );

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    app = await createApp(
      standaloneApp,
      loadConfig({ DATABASE_URL: scratch.url, BOOTSTRAP_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'silent', INGEST_RATE_LIMIT: '0' }),
    );
    await app.init();
    http = request(app.getHttpServer());
    await http.post('/v1/projects').set(admin).send({ id: 'payments', name: 'Payments' }).expect(201);
    await http.post('/v1/principals').set(admin).send({ id: 'ci-payments', kind: 'pipeline', displayName: 'CI' }).expect(201);
    await http
      .post('/v1/role-grants')
      .set(admin)
      .send({ principalId: 'ci-payments', role: 'pipeline', project: 'payments', reason: 'ci' })
      .expect(201);
    const token = await http.post('/v1/principals/ci-payments/tokens').set(admin).send({}).expect(201);
    pipeline = { Authorization: `Bearer ${token.body.token as string}` };
  });
  afterAll(async () => {
    await app?.close();
    await scratch?.drop();
  });

  it('stores one of 20 concurrent identical posts; the others get 200 with the same answer', async () => {
    const body = JSON.stringify(deployed('concurrent-1'));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => http.post('/v1/cdevents').set(pipeline).set('content-type', 'application/json').send(body)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array.from({ length: 19 }, () => 200), 202]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const rows = await stored('concurrent-1');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.data.project).toBe('payments');
    expect(answers[0]!.body.position).toEqual(expect.any(Number));
  });

  it('lets one of 20 concurrent different contents win and refuses the rest with 409', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http
          .post('/v1/cdevents')
          .set(pipeline)
          .set('content-type', 'application/json')
          .send(JSON.stringify(deployed('race-1', `pkg:oci/checkout@sha256:r${i}`))),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, ...Array.from({ length: 19 }, () => 409)]);
    expect(await stored('race-1')).toHaveLength(1);
  });

  it('ingests a batch of 100 durably and answers retries of it item by item', async () => {
    const events = Array.from({ length: 100 }, (_, i) => deployed(`batch-${i}`));
    const batch = toCloudEventBatch(events);
    const first = await http.post('/v1/cdevents').set(pipeline).set(batch.headers).send(batch.body).expect(200);
    expect(first.body.results.every((r: { status: number }) => r.status === 202)).toBe(true);
    const again = await http.post('/v1/cdevents').set(pipeline).set(batch.headers).send(batch.body).expect(200);
    expect(again.body.results.map((r: { status: number; position: number }) => [r.status, r.position])).toEqual(
      first.body.results.map((r: { position: number }) => [200, r.position]),
    );
    const count = await app
      .get<SqlDatabase>(SQL_DATABASE)
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE type = 'CdEventRecorded' AND data->>'id' LIKE 'batch-%'`);
    expect(count[0]!.n).toBe(100);
    const dora = await http
      .get('/v1/metrics/dora?project=payments&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z')
      .set(admin)
      .expect(200);
    // 100 + the concurrent one + the race winner, all deployments of checkout to production that day.
    expect(dora.body.deployments).toBe(102);
  });
});
