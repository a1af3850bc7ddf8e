import { buildCdEvent, CdEventTypes, toCloudEventBatch, type CdEvent } from '#cdevents';
import { ProjectionRunner } from '#platform';
import { ADMIN_TOKEN, bearer, startStandalone } from './standalone-harness.js';
import type { Running } from './telemetry-setup.js';
import { setUp } from './telemetry-setup.js';

/**
 * A small hand-computed scenario in project "payments" (window 2026-03-01 .. 2026-03-11, 10 days):
 *   changes   c1 created 03-01 08:00, reviewed 09:00, merged 10:00
 *             c2 created 03-02 08:00, reviewed 12:00, merged 14:00
 *             c3 created 03-03 00:00, merged 03-04 00:00 (no review)
 *   artifacts a1 ← c1 (packaged with SBOM), a2 ← c2 (none), a3 ← c3 (SBOM only on artifact.published)
 *   checkout  a1 → staging 03-01 11:00 (not production)
 *             a1 → production 03-01 12:00            lead c1 = 2 h
 *             a2 → production 03-03 14:00            lead c2 = 24 h; rolled back 03-03 15:00 → failed
 *             a3 upgraded in production 03-06 00:00  lead c3 = 48 h; incident i1 names a3 → failed
 *             a3 → production 03-12 00:00 (after the window)
 *   billing   a4 → prod 03-07 00:00 (no packaged artifact: no lead time)
 *   incidents i1 production, checkout, a3: detected 03-06 06:00, resolved 08:00 (2 h)
 *             i2 production, service search: detected 03-08 00:00, resolved 00:30 (30 min)
 *   project "shop": one production deployment in the window (invisible to payments-only readers).
 * DORA for payments: 4 deployments → 0.4/day (high); failed 2/4 = 0.5 (low); lead median of
 * 2 h, 24 h, 48 h = 86400 s (high: not under a day); recovery median of 2 h and 30 min = 4500 s (high).
 */
const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-03-11T00:00:00Z';
const HOUR = 3600;

let n = 0;
const at = (day: number, time: string) => `2026-03-${String(day).padStart(2, '0')}T${time}Z`;
const base = (timestamp: string, extra: { chainId?: string } = {}) => ({ id: `ev-${++n}`, source: '/ci/payments', timestamp, ...extra });
const env = (id: string) => ({ environment: { id } });

function paymentsScenario(): CdEvent[] {
  const change = (type: 'created' | 'reviewed' | 'merged', id: string, ts: string) => {
    const t = { created: CdEventTypes.ChangeCreated, reviewed: CdEventTypes.ChangeReviewed, merged: CdEventTypes.ChangeMerged }[type];
    return buildCdEvent(t, { ...base(ts), subject: { id, content: { repository: { id: 'payments-repo' } } } });
  };
  const packaged = (artifact: string, changeId: string, ts: string, sbom: boolean) =>
    buildCdEvent(CdEventTypes.ArtifactPackaged, {
      ...base(ts),
      subject: {
        id: artifact,
        content: { change: { id: changeId }, ...(sbom ? { sbom: { uri: `https://sbom.example/${artifact}` } } : {}) },
      },
    });
  const deploy = (service: string, environment: string, artifactId: string, ts: string, upgraded = false) =>
    buildCdEvent(upgraded ? CdEventTypes.ServiceUpgraded : CdEventTypes.ServiceDeployed, {
      ...base(ts),
      subject: { id: service, content: { ...env(environment), artifactId } },
    });
  const incident = (phase: 'detected' | 'resolved', id: string, ts: string, content: Record<string, unknown>) =>
    buildCdEvent(phase === 'detected' ? CdEventTypes.IncidentDetected : CdEventTypes.IncidentResolved, {
      ...base(ts),
      subject: { id, content: { ...env('production'), ...content } },
    });
  return [
    change('created', 'c1', at(1, '08:00:00')),
    change('reviewed', 'c1', at(1, '09:00:00')),
    change('merged', 'c1', at(1, '10:00:00')),
    change('created', 'c2', at(2, '08:00:00')),
    change('reviewed', 'c2', at(2, '12:00:00')),
    change('merged', 'c2', at(2, '14:00:00')),
    change('created', 'c3', at(3, '00:00:00')),
    change('merged', 'c3', at(4, '00:00:00')),
    packaged('pkg:oci/checkout@sha256:a1', 'c1', at(1, '10:30:00'), true),
    packaged('pkg:oci/checkout@sha256:a2', 'c2', at(2, '15:00:00'), false),
    packaged('pkg:oci/checkout@sha256:a3', 'c3', at(4, '01:00:00'), false),
    buildCdEvent(CdEventTypes.ArtifactPublished, {
      ...base(at(4, '02:00:00')),
      subject: { id: 'pkg:oci/checkout@sha256:a3', content: { sbom: { uri: 'https://sbom.example/a3' } } },
    }),
    deploy('checkout', 'staging', 'pkg:oci/checkout@sha256:a1', at(1, '11:00:00')),
    deploy('checkout', 'production', 'pkg:oci/checkout@sha256:a1', at(1, '12:00:00')),
    deploy('checkout', 'production', 'pkg:oci/checkout@sha256:a2', at(3, '14:00:00')),
    buildCdEvent(CdEventTypes.ServiceRolledback, {
      ...base(at(3, '15:00:00')),
      subject: { id: 'checkout', content: { ...env('production'), artifactId: 'pkg:oci/checkout@sha256:a1' } },
    }),
    deploy('checkout', 'Production', 'pkg:oci/checkout@sha256:a3', at(6, '00:00:00'), true),
    deploy('checkout', 'production', 'pkg:oci/checkout@sha256:a3', at(12, '00:00:00')),
    deploy('billing', 'prod', 'pkg:oci/billing@sha256:a4', at(7, '00:00:00')),
    incident('detected', 'i1', at(6, '06:00:00'), { service: { id: 'checkout' }, artifactId: 'pkg:oci/checkout@sha256:a3' }),
    incident('resolved', 'i1', at(6, '08:00:00'), { service: { id: 'checkout' }, artifactId: 'pkg:oci/checkout@sha256:a3' }),
    // Resolution sent before detection: the read model does not depend on arrival order.
    incident('resolved', 'i2', at(8, '00:30:00'), { service: { id: 'search' } }),
    incident('detected', 'i2', at(8, '00:00:00'), { service: { id: 'search' } }),
    ...pipelineScenario(),
  ];
}

/**
 * Pipelines: build-and-test 600 s success and 1200 s failure, deploy 300 s success; tasks 120 s
 * and 360 s; one build of 180 s; suite "Unit tests" twice (360 s failed, 240 s passed), three test
 * cases each; "logout" fails in the first and passes in the second run of chain chain-c1 (flaky);
 * "cart" is skipped in the second.
 */
function pipelineScenario(): CdEvent[] {
  const run = (name: string, id: string, start: string, end: string, outcome: 'success' | 'failure') => [
    buildCdEvent(CdEventTypes.PipelineRunStarted, {
      ...base(start),
      subject: { id, content: { pipelineName: name, uri: `https://ci.example/${id}` } },
    }),
    buildCdEvent(CdEventTypes.PipelineRunFinished, { ...base(end), subject: { id, content: { pipelineName: name, outcome } } }),
  ];
  const task = (name: string, id: string, start: string, end: string) => [
    buildCdEvent(CdEventTypes.TaskRunStarted, { ...base(start), subject: { id, content: { taskName: name, pipelineRun: { id: 'p1' } } } }),
    buildCdEvent(CdEventTypes.TaskRunFinished, { ...base(end), subject: { id, content: { taskName: name, outcome: 'success' } } }),
  ];
  const suite = (id: string, start: string, end: string, outcome: 'success' | 'failure') => [
    buildCdEvent(CdEventTypes.TestSuiteRunStarted, {
      ...base(start),
      subject: { id, content: { ...env('ci'), testSuite: { id: 'unit', name: 'Unit tests' } } },
    }),
    buildCdEvent(CdEventTypes.TestSuiteRunFinished, {
      ...base(end),
      subject: { id, content: { ...env('ci'), testSuite: { id: 'unit', name: 'Unit tests' }, outcome } },
    }),
  ];
  const testCase = (suiteRun: string, testCase: string, ts: string, outcome: 'success' | 'failure' | 'skipped') =>
    outcome === 'skipped'
      ? buildCdEvent(CdEventTypes.TestCaseRunSkipped, {
          ...base(ts, { chainId: 'chain-c1' }),
          subject: { id: `${suiteRun}-${testCase}`, content: { testSuiteRun: { id: suiteRun }, testCase: { id: testCase } } },
        })
      : buildCdEvent(CdEventTypes.TestCaseRunFinished, {
          ...base(ts, { chainId: 'chain-c1' }),
          subject: {
            id: `${suiteRun}-${testCase}`,
            content: { ...env('ci'), outcome, testSuiteRun: { id: suiteRun }, testCase: { id: testCase, name: testCase } },
          },
        });
  return [
    ...run('build-and-test', 'p1', at(1, '10:00:00'), at(1, '10:10:00'), 'success'),
    ...run('build-and-test', 'p2', at(2, '10:00:00'), at(2, '10:20:00'), 'failure'),
    ...run('deploy', 'p3', at(3, '00:00:00'), at(3, '00:05:00'), 'success'),
    ...task('compile', 't1', at(1, '10:00:00'), at(1, '10:02:00')),
    ...task('unit-tests', 't2', at(1, '10:02:00'), at(1, '10:08:00')),
    buildCdEvent(CdEventTypes.BuildStarted, { ...base(at(1, '10:00:00')), subject: { id: 'b1', content: {} } }),
    buildCdEvent(CdEventTypes.BuildFinished, {
      ...base(at(1, '10:03:00')),
      subject: { id: 'b1', content: { artifactId: 'pkg:oci/checkout@sha256:a1' } },
    }),
    ...suite('s1', at(1, '10:02:00'), at(1, '10:08:00'), 'failure'),
    testCase('s1', 'login', at(1, '10:03:00'), 'success'),
    testCase('s1', 'logout', at(1, '10:04:00'), 'failure'),
    testCase('s1', 'cart', at(1, '10:05:00'), 'success'),
    ...suite('s2', at(2, '10:00:00'), at(2, '10:04:00'), 'success'),
    testCase('s2', 'login', at(2, '10:01:00'), 'success'),
    testCase('s2', 'logout', at(2, '10:02:00'), 'success'),
    testCase('s2', 'cart', at(2, '10:03:00'), 'skipped'),
  ];
}

describe('telemetry metrics over HTTP: DORA and pipelines on a hand-computed scenario', () => {
  let s: Running;
  let tokens: Record<string, string>;
  const dora = (token: string, query: string) => s.http.get(`/v1/metrics/dora?from=${FROM}&to=${TO}${query}`).set(bearer(token));
  const pipelines = (token: string, query: string) => s.http.get(`/v1/metrics/pipelines?from=${FROM}&to=${TO}${query}`).set(bearer(token));

  beforeAll(async () => {
    s = await startStandalone();
    tokens = await setUp(s, ['payments', 'shop'], {
      'ci-payments': { kind: 'pipeline', roles: [['pipeline', 'payments']] },
      'ci-shop': { kind: 'pipeline', roles: [['pipeline', 'shop']] },
      'qa-payments': { kind: 'user', roles: [['qa', 'payments']] },
    });
    const events = paymentsScenario();
    // In two batches, out of order: producers do not send in time order.
    const half = Math.floor(events.length / 2);
    for (const part of [events.slice(half), events.slice(0, half)]) {
      const res = await s.http
        .post('/v1/cdevents')
        .set(bearer(tokens['ci-payments']!))
        .set(toCloudEventBatch(part).headers)
        .send(toCloudEventBatch(part).body)
        .expect(200);
      expect(res.body.results.map((r: { status: number }) => r.status)).toEqual(part.map(() => 202));
    }
    const shop = buildCdEvent(CdEventTypes.ServiceDeployed, {
      id: 'shop-1',
      source: '/ci/shop',
      timestamp: at(5, '00:00:00'),
      subject: { id: 'storefront', content: { ...env('production'), artifactId: 'pkg:oci/storefront@sha256:s1' } },
    });
    await s.http
      .post('/v1/cdevents')
      .set(bearer(tokens['ci-shop']!))
      .set('content-type', 'application/json')
      .send(JSON.stringify(shop))
      .expect(202);
  });
  afterAll(async () => s.stop());

  it('computes the four keys with their 2023 tiers for one project', async () => {
    const res = await dora(tokens['qa-payments']!, '&project=payments').expect(200);
    expect(res.body).toMatchObject({
      deploymentFrequency: { deploymentsPerDay: 0.4, tier: 'high' },
      leadTimeForChanges: { medianSeconds: 24 * HOUR, tier: 'high', changes: 3 },
      changeFailureRate: { value: 0.5, tier: 'low', failedDeployments: 2 },
      failedDeploymentRecoveryTime: { medianSeconds: 4500, tier: 'high', incidents: 2 },
      deployments: 4,
      project: 'payments',
      environments: ['production', 'prod'],
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-11T00:00:00.000Z',
    });
  });

  it('narrows to a service and to another environment', async () => {
    const checkout = await dora(ADMIN_TOKEN, '&project=payments&service=checkout').expect(200);
    expect(checkout.body).toMatchObject({
      deployments: 3,
      deploymentFrequency: { deploymentsPerDay: 0.3, tier: 'high' },
      changeFailureRate: { value: expect.closeTo(2 / 3, 9), tier: 'low' },
      leadTimeForChanges: { medianSeconds: 24 * HOUR },
      failedDeploymentRecoveryTime: { medianSeconds: 2 * HOUR, tier: 'high', incidents: 1 },
    });
    const staging = await dora(ADMIN_TOKEN, '&project=payments&environment=staging').expect(200);
    expect(staging.body).toMatchObject({
      deployments: 1,
      deploymentFrequency: { deploymentsPerDay: 0.1, tier: 'medium' },
      leadTimeForChanges: { medianSeconds: HOUR, tier: 'elite', changes: 1 },
      changeFailureRate: { value: 0, tier: 'elite' },
      failedDeploymentRecoveryTime: { medianSeconds: null, tier: null, incidents: 0 },
      environments: ['staging'],
    });
  });

  it('has null metrics where there is no data', async () => {
    const res = await dora(ADMIN_TOKEN, '&project=payments&service=nothing-here').expect(200);
    expect(res.body).toMatchObject({
      deploymentFrequency: { deploymentsPerDay: null, tier: null },
      leadTimeForChanges: { medianSeconds: null, tier: null },
      changeFailureRate: { value: null, tier: null },
      failedDeploymentRecoveryTime: { medianSeconds: null, tier: null },
      deployments: 0,
    });
  });

  it('counts only the projects the caller may read, filtering in the query', async () => {
    const admin = await dora(ADMIN_TOKEN, '').expect(200);
    expect(admin.body.deployments).toBe(5);
    const qa = await dora(tokens['qa-payments']!, '').expect(200);
    expect(qa.body.deployments).toBe(4);
    const refused = await dora(tokens['qa-payments']!, '&project=shop').expect(403);
    expect(refused.body.rule).toEqual(expect.any(String));
  });

  it('documents the telemetry routes in the OpenAPI document', async () => {
    const res = await s.http.get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/cdevents', '/v1/metrics/dora', '/v1/metrics/pipelines']));
    expect(Object.keys(res.body.paths['/v1/cdevents'].post.requestBody.content)).toEqual(
      expect.arrayContaining(['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json']),
    );
  });

  it('validates its query', async () => {
    const res = await s.http.get('/v1/metrics/dora?from=yesterday&colour=blue').set(bearer(ADMIN_TOKEN)).expect(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/colour', '/from']);
    await s.http.get(`/v1/metrics/dora?from=${TO}&to=${FROM}`).set(bearer(ADMIN_TOKEN)).expect(400);
    await s.http.get('/v1/metrics/dora').expect(401);
  });

  it('computes pipeline, task, build and test metrics, review times, rollbacks, incidents and SBOM share', async () => {
    const res = await pipelines(tokens['qa-payments']!, '&project=payments').expect(200);
    const b = res.body;
    expect(b.pipelineRuns).toEqual({
      runs: 3,
      failed: 1,
      failureRate: expect.closeTo(1 / 3, 9),
      medianSeconds: 600,
      p90Seconds: expect.closeTo(1080, 6),
      byName: [
        { name: 'build-and-test', runs: 2, failed: 1, failureRate: 0.5, medianSeconds: 900, p90Seconds: expect.closeTo(1140, 6) },
        { name: 'deploy', runs: 1, failed: 0, failureRate: 0, medianSeconds: 300, p90Seconds: 300 },
      ],
    });
    expect(b.taskRuns).toMatchObject({ runs: 2, medianSeconds: 240 });
    expect(b.builds).toMatchObject({ runs: 1, medianSeconds: 180 });
    expect(b.testSuites).toMatchObject({
      runs: 2,
      failed: 1,
      failureRate: 0.5,
      medianSeconds: 300,
      medianSize: 3,
      bySuite: [{ name: 'Unit tests', runs: 2, testCases: 3 }],
    });
    expect(b.testCases).toEqual({
      runs: 5,
      failed: 1,
      skipped: 1,
      failureRate: 0.2,
      flaky: [{ project: 'payments', testCaseId: 'logout', name: 'logout', chainId: 'chain-c1', passed: 1, failed: 1 }],
    });
    expect(b.changeReview).toEqual({
      merged: 3,
      timeToFirstReview: { medianSeconds: 9000, p90Seconds: expect.closeTo(13320, 6) },
      timeToMerge: { medianSeconds: 21600, p90Seconds: expect.closeTo(73440, 6) },
      reviewToMerge: { medianSeconds: 5400, p90Seconds: expect.closeTo(6840, 6) },
    });
    expect(b.rollbacks).toEqual({ count: 1, perDay: 0.1 });
    expect(b.incidents).toEqual({ detected: 2, resolved: 2, perDay: 0.2 });
    expect(b.sbom).toEqual({ artifacts: 3, withSbom: 2, share: expect.closeTo(2 / 3, 9) });
  });

  it('rebuilds the read model from zero to the same numbers', async () => {
    const before = await Promise.all([dora(ADMIN_TOKEN, '').expect(200), pipelines(ADMIN_TOKEN, '').expect(200)]);
    await s.app.get(ProjectionRunner).rebuild('telemetry-metrics');
    const after = await Promise.all([dora(ADMIN_TOKEN, '').expect(200), pipelines(ADMIN_TOKEN, '').expect(200)]);
    expect(after.map((r) => r.body)).toEqual(before.map((r) => r.body));
    expect(after[0].body.deployments).toBe(5);
  });
});
