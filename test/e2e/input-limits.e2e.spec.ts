import { jest } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { buildCdEvent, CdEventTypes, toCloudEventBatch, toCloudEventBinary } from '#cdevents';
import { ADMIN_TOKEN, bearer, startStandalone } from './standalone-harness.js';
import type { Running } from './telemetry-setup.js';
import { allEvents, recordedCdEvents, setUp } from './telemetry-setup.js';

// Starting the embedded store takes tens of seconds on a loaded machine.
jest.setTimeout(240_000);

/**
 * Nothing the API accepts may stop a reader: each poison case of issue 10 is refused with a 400
 * naming the field, nothing is stored, and the app stays ready; the largest values still accepted
 * do not stop the telemetry projection.
 */
const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-03-11T00:00:00Z';
let n = 0;
const deployed = (
  content: { environment: { id: string }; artifactId: string },
  over: { id?: string; source?: string; timestamp?: string; subject?: string } = {},
) =>
  buildCdEvent(
    CdEventTypes.ServiceDeployed,
    {
      id: over.id ?? `limit-${++n}`,
      source: over.source ?? '/ci/payments',
      timestamp: over.timestamp ?? '2026-03-02T10:00:00Z',
      subject: { id: over.subject ?? 'checkout', content },
    },
    { validate: false },
  );
const prod = { environment: { id: 'production' }, artifactId: 'pkg:oci/checkout@sha256:abc' };
/** Random characters of one Unicode block: incompressible, so PostgreSQL cannot shrink them into an index. */
const randomText = (length: number, from: number, to: number) =>
  Array.from({ length }, () => String.fromCharCode(randomInt(from, to))).join('');
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const randomPath = (length: number) => Array.from({ length }, () => ALNUM[randomInt(ALNUM.length)]).join('');

describe('input limits: poison values are refused at ingest (standalone app)', () => {
  let s: Running;
  let token: string;
  beforeAll(async () => {
    // A body limit large enough for the 100,000-character id to reach the validator.
    s = await startStandalone({ BODY_LIMIT_BYTES: '1048576' });
    token = (await setUp(s, ['payments'], { 'ci-payments': { kind: 'pipeline', roles: [['pipeline', 'payments']] } }))['ci-payments']!;
  });
  afterAll(async () => s.stop());

  const bare = (body: string) => s.http.post('/v1/cdevents').set(bearer(token)).set('content-type', 'application/json').send(body);

  const poison: [string, string, () => string][] = [
    [
      'a NUL in subject.content.pipelineName',
      '/subject/content/pipelineName',
      () => JSON.stringify({ ...deployed(prod), subject: { id: 'x', content: { ...prod, pipelineName: 'a\u0000b' } } }),
    ],
    [
      'a NUL in a member name',
      '/subject/content/a\u0000',
      () => JSON.stringify({ ...deployed(prod), subject: { id: 'x', content: { ...prod, 'a\u0000': 1 } } }),
    ],
    [
      'context.timestamp 0000-01-01T00:00:00Z',
      '/context/timestamp',
      () => JSON.stringify(deployed(prod, { timestamp: '0000-01-01T00:00:00Z' })),
    ],
    ['context.timestamp before 1970', '/context/timestamp', () => JSON.stringify(deployed(prod, { timestamp: '1969-12-31T23:59:59Z' }))],
    [
      'context.timestamp after 9999 in UTC',
      '/context/timestamp',
      () => JSON.stringify(deployed(prod, { timestamp: '9999-12-31T23:59:59-01:00' })),
    ],
    [
      'a subject.id of 10,000 random characters',
      '/subject/id',
      () => JSON.stringify(deployed(prod, { subject: randomText(10_000, 0x21, 0x7f) })),
    ],
    [
      'customData nested 5,000 levels deep (it would overflow canonicalisation)',
      `/customData${'/a'.repeat(63)}`, // the event itself is the first of the 64 levels
      // Spliced in as text: building it as an object would overflow JSON.stringify here first.
      () =>
        JSON.stringify({ ...deployed(prod), customData: 0 }).replace(
          '"customData":0',
          `"customData":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
        ),
    ],
    ['a context.id of 100,000 characters', '/context/id', () => JSON.stringify(deployed(prod, { id: 'x'.repeat(100_000) }))],
    ['a context.source over 1,024 bytes', '/context/source', () => JSON.stringify(deployed(prod, { source: `/${'s'.repeat(1024)}` }))],
    [
      'an environment id over 1,024 bytes',
      '/subject/content/environment/id',
      () => JSON.stringify(deployed({ ...prod, environment: { id: randomText(400, 0x4e00, 0x9fff) } })),
    ],
    [
      'an artifact id over 1,024 bytes',
      '/subject/content/artifactId',
      () => JSON.stringify(deployed({ ...prod, artifactId: `pkg:oci/${'a'.repeat(1024)}` })),
    ],
  ];

  it.each(poison)('refuses %s with a 400 naming the field; nothing is stored; /health stays 200', async (_, pointer, body) => {
    const before = (await recordedCdEvents(s)).length;
    const res = await bare(body()).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([{ pointer, message: expect.any(String) }]);
    expect((await recordedCdEvents(s)).length).toBe(before);
    await s.http.get('/health').expect(200);
  });

  it('refuses a NUL in a percent-encoded binary-mode header', async () => {
    const message = toCloudEventBinary(deployed(prod));
    const res = await s.http
      .post('/v1/cdevents')
      .set(bearer(token))
      .set({ ...message.headers, 'ce-id': 'a%00b' })
      .send(message.body)
      .expect(400);
    expect(res.body.errors).toEqual([{ pointer: '', message: expect.stringMatching(/ce-id header must not contain NUL/) }]);
  });

  it('answers a batch item by item: the poison entry gets its own errors, the others are stored', async () => {
    const good = deployed(prod);
    const bad = deployed(prod, { timestamp: '0000-01-01T00:00:00Z' });
    const nul = { ...deployed(prod), subject: { id: 'x', content: { ...prod, pipelineName: '\u0000' } } };
    const batch = toCloudEventBatch([good, bad, nul]);
    const res = await s.http.post('/v1/cdevents').set(bearer(token)).set(batch.headers).send(batch.body).expect(200);
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([202, 400, 400]);
    expect(res.body.results[1].errors).toEqual([{ pointer: '/data/context/timestamp', message: expect.stringContaining('1970') }]);
    expect(res.body.results[2].errors).toEqual([{ pointer: '/data/subject/content/pipelineName', message: expect.stringMatching(/NUL/) }]);
    expect((await recordedCdEvents(s)).filter((e) => e.data['id'] === good.context.id)).toHaveLength(1);
    expect((await recordedCdEvents(s)).filter((e) => e.data['id'] === bad.context.id)).toHaveLength(0);
  });

  it('other contexts: a NUL anywhere in a JSON body, or an out-of-range expiry, is a 400 naming the field', async () => {
    const admin = bearer(ADMIN_TOKEN);
    const before = (await allEvents(s)).length;
    const nulName = await s.http.post('/v1/projects').set(admin).send({ id: 'nul', name: 'a\u0000b' }).expect(400);
    expect(nulName.body.errors).toEqual([{ pointer: '/name', message: expect.stringMatching(/NUL/) }]);
    const nulKey = await s.http
      .post('/v1/principals')
      .set(admin)
      .send({ id: 'p', kind: 'user', displayName: 'P', 'x\u0000': 1 })
      .expect(400);
    expect(nulKey.body.errors).toEqual([{ pointer: '/x\u0000', message: expect.stringMatching(/^member name must not contain NUL/) }]);
    await s.http.post('/v1/principals').set(admin).send({ id: 'bob', kind: 'user', displayName: 'Bob' }).expect(201);
    const expiry = await s.http.post('/v1/principals/bob/tokens').set(admin).send({ expiresAt: '1969-12-31T23:59:59Z' }).expect(400);
    expect(expiry.body.errors).toEqual([{ pointer: '/expiresAt', message: expect.stringContaining('1970') }]);
    const reason = await s.http
      .post('/v1/role-grants')
      .set(admin)
      .send({ principalId: 'bob', role: 'qa', project: 'payments', reason: 'r'.repeat(1001) })
      .expect(400);
    expect(reason.body.errors).toEqual([{ pointer: '/reason', message: expect.any(String) }]);
    const attrs = await s.http
      .post('/v1/access/decisions')
      .set(admin)
      .send({ principalId: 'bob', action: 'deployment.approve', resource: { type: 'deployment', note: 'x'.repeat(1025) } })
      .expect(400);
    expect(attrs.body.errors).toEqual([{ pointer: '/resource', message: expect.stringContaining('1024') }]);
    // Only the one valid command (bob) was stored.
    expect((await allEvents(s)).filter((e) => e.type === 'PrincipalRegistered').slice(-1)[0]!.data['principalId']).toBe('bob');
    expect((await allEvents(s)).length - before).toBeLessThanOrEqual(3);
    await s.http.get('/health').expect(200);
  });
});

describe('input limits: the largest accepted values do not stop the projection (standalone app)', () => {
  let s: Running;
  let token: string;
  beforeAll(async () => {
    s = await startStandalone();
    token = (await setUp(s, ['payments'], { 'ci-payments': { kind: 'pipeline', roles: [['pipeline', 'payments']] } }))['ci-payments']!;
  });
  afterAll(async () => s.stop());

  const send = (event: unknown) =>
    s.http.post('/v1/cdevents').set(bearer(token)).set('content-type', 'application/json').send(JSON.stringify(event));
  const dora = () => s.http.get(`/v1/metrics/dora?project=payments&from=${FROM}&to=${TO}`).set(bearer(ADMIN_TOKEN)).expect(200);
  const pipelines = () => s.http.get(`/v1/metrics/pipelines?project=payments&from=${FROM}&to=${TO}`).set(bearer(ADMIN_TOKEN)).expect(200);
  async function eventually(check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the read model did not catch up');
  }

  it('accepts 1,024-byte identifiers (incompressible, multi-byte) and years 1970 and 9999; DORA and pipeline metrics still move after them', async () => {
    const id1024 = randomText(1024, 0x21, 0x7f);
    // 341 CJK characters (1,023 bytes) and 512 Cyrillic ones (1,024 bytes): the widest index entry they make.
    const service = randomText(341, 0x4e00, 0x9fff);
    const environment = randomText(512, 0x0430, 0x0450);
    const boundary = [
      deployed(
        { environment: { id: environment }, artifactId: `pkg:oci/${randomText(1016, 0x21, 0x7f)}` },
        { id: id1024, source: `/${randomPath(1023)}`, subject: service },
      ),
      deployed(prod, { timestamp: '1970-01-01T00:00:00Z' }),
      deployed(prod, { timestamp: '9999-12-31T23:59:59.999Z' }),
      buildCdEvent(CdEventTypes.PipelineRunFinished, {
        id: `limit-${++n}`,
        source: '/ci/payments',
        timestamp: '2026-03-02T10:00:00Z',
        subject: {
          id: randomText(1024, 0x21, 0x7f),
          source: `/${randomPath(1023)}`,
          content: { pipelineName: 'build', outcome: 'success', uri: 'https://ci.example/1' },
        },
      }),
    ];
    const before = await Promise.all([dora(), pipelines()]);
    for (const event of boundary) await send(event).expect(202);
    await s.http.get('/health').expect(200);
    // After them, ordinary events are still applied.
    await send(deployed(prod, { timestamp: '2026-03-03T10:00:00Z' })).expect(202);
    await send(
      buildCdEvent(CdEventTypes.PipelineRunFinished, {
        id: `limit-${++n}`,
        source: '/ci/payments',
        timestamp: '2026-03-03T11:00:00Z',
        subject: { id: 'run-2', content: { pipelineName: 'build', outcome: 'success', uri: 'https://ci.example/2' } },
      }),
    ).expect(202);
    await eventually(async () => (await dora()).body.deployments === before[0].body.deployments + 1);
    await eventually(async () => JSON.stringify((await pipelines()).body) !== JSON.stringify(before[1].body));
    const health = await s.http.get('/health').expect(200);
    expect(health.body.checks.projections).toEqual({ status: 'up' });
  });
});
