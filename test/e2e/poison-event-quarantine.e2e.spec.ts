import { randomUUID } from 'node:crypto';
import { buildCdEvent, CdEventTypes } from '#cdevents';
import type { EventStore } from '#kernel';
import { EVENT_STORE } from '#platform';
import { ADMIN_TOKEN, bearer, startStandalone } from './standalone-harness.js';
import type { Running } from './telemetry-setup.js';
import { recordedCdEvents, setUp } from './telemetry-setup.js';

/**
 * Old data that today's input limits would refuse, written straight into the store as an older
 * release (or a bug) could have: a recorded CDEvent dated in year 0, which no timestamptz column
 * holds. The telemetry read model must set it aside, apply everything else, say so in /health and
 * at GET /v1/admin/projections, and come back up after a restart.
 */
const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-03-11T00:00:00Z';

const deployed = (id: string, day: number) =>
  buildCdEvent(CdEventTypes.ServiceDeployed, {
    id,
    source: '/ci/payments',
    timestamp: `2026-03-0${day}T12:00:00Z`,
    subject: { id: 'checkout', content: { environment: { id: 'production' }, artifactId: `pkg:oci/checkout@sha256:${id}` } },
  });

describe('a poison event written straight into the store (embedded store)', () => {
  let s: Running;
  let token: string;
  const ingest = (id: string, day: number) =>
    s.http
      .post('/v1/cdevents')
      .set(bearer(token))
      .set('content-type', 'application/json')
      .send(JSON.stringify(deployed(id, day)))
      .expect(202);
  const deployments = async () =>
    (await s.http.get(`/v1/metrics/dora?from=${FROM}&to=${TO}&project=payments`).set(bearer(ADMIN_TOKEN)).expect(200)).body
      .deployments as number;
  const telemetryProjection = async () => {
    const res = await s.http.get('/v1/admin/projections').set(bearer(ADMIN_TOKEN)).expect(200);
    return (res.body.items as { name: string; quarantined: number; quarantine: Record<string, unknown>[]; error: string | null }[]).find(
      (p) => p.name.startsWith('telemetry'),
    )!;
  };

  afterAll(async () => s?.stop());

  it('is quarantined: /health says degraded with the projection and position, every other event is applied, a restart comes up', async () => {
    s = await startStandalone();
    token = (await setUp(s, ['payments'], { 'ci-payments': { kind: 'pipeline', roles: [['pipeline', 'payments']] } }))['ci-payments']!;
    await ingest('before', 1);

    // Forge an older release's event: a copy of a real record with another identity and year 0.
    const [real] = await recordedCdEvents(s);
    const data = real!.data;
    const raw = JSON.parse(data['raw'] as string) as { context: Record<string, unknown> };
    raw.context['id'] = 'poison';
    raw.context['timestamp'] = '0000-01-01T00:00:00Z';
    const store = s.app.get<EventStore>(EVENT_STORE);
    const poisonStream = `cdevent-${randomUUID()}`;
    await store.append(
      poisonStream,
      [
        {
          eventId: randomUUID(),
          type: real!.type,
          data: { ...data, id: 'poison', timestamp: '0000-01-01T00:00:00Z', raw: JSON.stringify(raw), fingerprint: randomUUID() },
          metadata: real!.metadata,
        },
      ],
      'no_stream',
    );
    await ingest('after', 2);

    let projection = await telemetryProjection();
    for (let i = 0; i < 100 && projection.quarantined === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      projection = await telemetryProjection();
    }
    expect(projection.quarantined).toBe(1);
    expect(projection.error).toBeNull();
    expect(projection.quarantine[0]).toMatchObject({ streamId: poisonStream, streamVersion: 1, type: 'CdEventRecorded' });
    expect(projection.quarantine[0]!['error']).toMatch(/out of range/);
    expect(await deployments()).toBe(2); // before and after the poison

    const health = await s.http.get('/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.checks.projections).toMatchObject({
      status: 'degraded',
      quarantined: [{ projection: projection.name, quarantinedEvents: 1, firstQuarantinedAt: projection.quarantine[0]!['cursor'] }],
    });
    expect(health.body.checks.eventStore.status).toBe('up');
    const metrics = await s.http.get('/metrics').set(bearer(ADMIN_TOKEN)).expect(200);
    expect(metrics.text).toMatch(new RegExp(`ledger_projection_quarantined_events\\{projection="${projection.name}"\\} 1`));

    // A restart on the same data comes up, serves, and does not trip over the event again.
    const dataDir = s.dataDir;
    await s.stop(true);
    s = await startStandalone({ DATA_DIR: dataDir });
    await s.http.get('/health').expect(200);
    await ingest('restarted', 3);
    for (let i = 0; i < 100 && (await deployments()) < 3; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await deployments()).toBe(3);
    expect((await telemetryProjection()).quarantined).toBe(1);
  });
});
