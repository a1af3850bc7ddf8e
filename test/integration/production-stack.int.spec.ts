import { execFileSync } from 'node:child_process';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp, loadConfig } from '#platform';
import { createScratchDatabase, testKafkaBrokers } from '#testing';
import { standaloneApp } from '../../apps/standalone/src/standalone.app.js';

const ADMIN = 'integration-bootstrap-token-0123456789';
const bearer = { Authorization: `Bearer ${ADMIN}` };
const services = (command: string) =>
  execFileSync('bash', ['scripts/services.sh', command], { stdio: 'ignore', env: { ...process.env, SERVICES: 'kafka' } });

describe('the app on real PostgreSQL and Kafka', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let app: NestExpressApplication;
  const env = () => ({
    DATABASE_URL: scratch.url,
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    BOOTSTRAP_ADMIN_TOKEN: ADMIN,
    LOG_LEVEL: 'silent',
  });
  const start = async () => {
    app = await createApp(standaloneApp, loadConfig(env()));
    await app.init();
    return request(app.getHttpServer());
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });
  afterAll(async () => {
    await app?.close();
    await scratch.drop();
  });

  it('reports PostgreSQL and Kafka in /health and serves the API', async () => {
    const http = await start();
    const health = await http.get('/health').expect(200);
    expect(health.body.checks).toMatchObject({ eventStore: { status: 'up' }, database: { status: 'up' }, kafka: { status: 'up' } });
    await http.post('/v1/projects').set(bearer).send({ id: 'payments', name: 'Payments' }).expect(201);
    await http.post('/v1/principals').set(bearer).send({ id: 'bob', kind: 'user', displayName: 'Bob' }).expect(201);
  });

  it('keeps its data across a restart and does not bootstrap twice', async () => {
    await app.close();
    const http = await start();
    await http.post('/v1/projects').set(bearer).send({ id: 'payments', name: 'Again' }).expect(409);
    await http.post('/v1/principals/bob/tokens').set(bearer).send({}).expect(201);
  });

  it('turns /health to 503 while the Kafka broker is down, and back to 200 after', async () => {
    const http = request(app.getHttpServer());
    services('kafka-stop');
    try {
      const down = await http.get('/health').expect(503);
      expect(down.body.status).toBe('unavailable');
      expect(down.body.checks.kafka.status).toBe('down');
      expect(down.body.checks.eventStore.status).toBe('up');
    } finally {
      services('kafka-start');
    }
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await http.get('/health')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe(200);
  }, 90_000);
});
