import { generateKeyPairSync } from 'node:crypto';
import { createScratchDatabase } from '#testing';
import { AppProcess, freePort } from './app-process.js';
import { recordFigures, seconds } from './fault-figures.js';
import { findLost } from './ingest-load.js';
import { ADMIN_TOKEN, call, setUpPipeline, verifyAuditLog } from './ledger-client.js';
import { expectReaderHealthy } from './reader-health.js';
import { sigkillUnderLoad } from './sigkill-under-load.js';

const KILLS = 3;

/**
 * The production apps on a scratch database of the shared PostgreSQL: Access Control (tokens,
 * relay) keeps running; Telemetry (which acknowledges ingest) and Audit (which seals the log) are
 * SIGKILLed together mid-ingest, three times.
 */
describe('SIGKILL during ingest load: production apps on PostgreSQL', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let accessControl: AppProcess;
  let telemetry: AppProcess;
  let audit: AppProcess;

  afterAll(async () => {
    await Promise.all([telemetry?.stop(), audit?.stop(), accessControl?.stop()]);
    await scratch?.drop();
  });

  it('loses no acknowledged CDEvent, verifies its audit log and is ready again after each kill', async () => {
    const started = Date.now();
    scratch = await createScratchDatabase('ledger_fault_kill');
    const signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const env = { DATABASE_URL: scratch.url, INGEST_RATE_LIMIT: '0', AUDIT_SIGNING_KEY: signingKey };
    const [acPort, telemetryPort, auditPort] = [await freePort(), await freePort(), await freePort()];
    // Access Control bootstraps the admin and creates the shared tables before the others start.
    accessControl = new AppProcess('access-control', acPort, { env: { ...env, BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN } });
    await accessControl.ready();
    const startKilled = async () => {
      telemetry = new AppProcess('telemetry', telemetryPort, { env });
      audit = new AppProcess('audit', auditPort, { env });
      await Promise.all([telemetry.ready(), audit.ready()]);
    };
    await startKilled();
    const token = await setUpPipeline(accessControl.url, 'payments');

    const run = await sigkillUnderLoad({
      kills: KILLS,
      acknowledgedBetweenKills: 150,
      ingestUrl: () => telemetry.url,
      token,
      kill: async () => {
        const [t, a] = await Promise.all([telemetry.kill('SIGKILL'), audit.kill('SIGKILL')]);
        expect([t.signal, a.signal]).toEqual(['SIGKILL', 'SIGKILL']);
      },
      restart: startKilled,
    });

    const { lost, moved } = await findLost(telemetry.url, token, run.load.acknowledged);
    const verification = await verifyAuditLog(audit.url);
    recordFigures('sigkill-postgres', {
      store: 'PostgreSQL (production apps: telemetry and audit killed, access-control running)',
      kills: KILLS,
      sent: run.load.sent,
      acknowledged: run.load.acknowledged.length,
      lost: lost.length,
      positionChanged: moved.length,
      answers: run.load.answers,
      recoverySeconds: run.recoverySeconds,
      auditLog: verification,
      runSeconds: seconds(Date.now() - started),
    });
    expect(run.load.unexpected).toEqual([]);
    expect(lost).toEqual([]);
    expect(moved).toEqual([]);
    expect(verification).toMatchObject({ ok: true });
    expect(verification.checkedEvents).toBeGreaterThan(run.load.acknowledged.length);
    for (const app of [accessControl, telemetry, audit]) expect((await call(app.url, 'GET', '/health')).status).toBe(200);
    await expectReaderHealthy(telemetry.url, { headUrl: accessControl.url, sealer: false });
    await expectReaderHealthy(audit.url, { headUrl: accessControl.url });
  }, 300_000);
});
