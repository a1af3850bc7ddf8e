import type { IntegrationEvent } from '#contracts';
import { ACCESS_CONTROL_V1, TOPICS } from '#contracts';
import type { MessageBus, ReceivedMessage } from '#messaging';
import { DEAD_LETTER_HEADERS, decodeIntegrationEvent, encodeIntegrationEvent, MESSAGE_BUS } from '#messaging';
import { ADMIN_TOKEN, bearer, startStandalone } from './standalone-harness.js';

const TOPIC = TOPICS['access-control'];

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('messaging in the standalone app (embedded store, in-process bus)', () => {
  let app: Awaited<ReturnType<typeof startStandalone>>;
  let bus: MessageBus;
  const received: ReceivedMessage[] = [];
  const events = () => received.map((m) => decodeIntegrationEvent(m));

  beforeAll(async () => {
    app = await startStandalone();
    bus = app.app.get<MessageBus>(MESSAGE_BUS);
    await bus.subscribe({ group: 'e2e-probe', topics: [TOPIC], handle: async (m) => void received.push(m) });
  });
  afterAll(() => app.stop());

  it('publishes Access Control integration events as CloudEvents keyed by stream id', async () => {
    await app.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send({ id: 'payments', name: 'Payments' }).expect(201);
    await until(() => events().some((e) => e.type === ACCESS_CONTROL_V1.projectCreated));
    const created = events().find((e) => e.type === ACCESS_CONTROL_V1.projectCreated)!;
    expect(created).toMatchObject({
      subject: 'project-payments',
      source: '/compliance-ledger/access-control',
      data: { projectId: 'payments', name: 'Payments' },
    });
    // The bootstrap admin's grant came first and its token stayed internal.
    expect(events().map((e) => e.type)).toEqual([
      ACCESS_CONTROL_V1.principalRegistered,
      ACCESS_CONTROL_V1.roleGranted,
      ACCESS_CONTROL_V1.projectCreated,
    ]);
  });

  it('reports the relay in /health and its lag in /metrics', async () => {
    const health = await app.http.get('/health').expect(200);
    expect(health.body.checks.messaging).toMatchObject({ status: 'up', bus: 'in-process', relay: { role: 'active', lag: 0, error: null } });
    const metrics = await app.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^ledger_relay_lag_events 0$/m);
    expect(metrics.text).toMatch(/^ledger_relay_published_total\{topic="access-control.events.v1"\} 3$/m);
  });

  it('replays dead letters for a platform admin only', async () => {
    const original: IntegrationEvent = {
      id: 'dead-1',
      type: ACCESS_CONTROL_V1.projectCreated,
      source: '/compliance-ledger/access-control',
      subject: 'project-old',
      time: '2026-01-01T00:00:00.000Z',
      topic: TOPIC,
      data: { projectId: 'old', name: 'Old' },
    };
    const message = encodeIntegrationEvent(original);
    await bus.publish([
      {
        ...message,
        topic: `${TOPIC}.dlq`,
        headers: { ...message.headers, [DEAD_LETTER_HEADERS.error]: 'Error: boom', [DEAD_LETTER_HEADERS.originalTopic]: TOPIC },
      },
    ]);

    await app.http.post('/v1/admin/dead-letters/replay').send({ topic: TOPIC }).expect(401);
    await app.http.post('/v1/principals').set(bearer(ADMIN_TOKEN)).send({ id: 'dev', kind: 'user', displayName: 'Dev' }).expect(201);
    const token = (await app.http.post('/v1/principals/dev/tokens').set(bearer(ADMIN_TOKEN)).send({}).expect(201)).body.token as string;
    const refused = await app.http.post('/v1/admin/dead-letters/replay').set(bearer(token)).send({ topic: TOPIC }).expect(403);
    expect(refused.body.rule).toBeDefined();
    const invalid = await app.http
      .post('/v1/admin/dead-letters/replay')
      .set(bearer(ADMIN_TOKEN))
      .send({ topic: 'nope', limit: 0 })
      .expect(400);
    expect(invalid.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/limit', '/topic']);

    const replay = await app.http.post('/v1/admin/dead-letters/replay').set(bearer(ADMIN_TOKEN)).send({ topic: TOPIC }).expect(200);
    expect(replay.body).toEqual({ topic: TOPIC, deadLetterTopic: `${TOPIC}.dlq`, replayed: 1 });
    await until(() => received.some((m) => m.headers['ce_id'] === 'dead-1'));
    const back = received.find((m) => m.headers['ce_id'] === 'dead-1')!;
    expect(back.headers).toEqual(message.headers);
    expect(decodeIntegrationEvent(back)).toEqual(original);
    const again = await app.http.post('/v1/admin/dead-letters/replay').set(bearer(ADMIN_TOKEN)).send({ topic: TOPIC }).expect(200);
    expect(again.body.replayed).toBe(0);
  });
});
