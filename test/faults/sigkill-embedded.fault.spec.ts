import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, freePort } from './app-process.js';
import { recordFigures, seconds } from './fault-figures.js';
import { findLost } from './ingest-load.js';
import { ADMIN_TOKEN, call, setUpPipeline, verifyAuditLog } from './ledger-client.js';
import { expectReaderHealthy } from './reader-health.js';
import { sigkillUnderLoad } from './sigkill-under-load.js';

const KILLS = 3;

/** The standalone app on its embedded store (PGlite in a temporary DATA_DIR), SIGKILLed mid-ingest three times. */
describe('SIGKILL during ingest load: standalone app, embedded store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-fault-kill-'));
  let app: AppProcess;
  let port: number;
  const env = { DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN, INGEST_RATE_LIMIT: '0' };

  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged CDEvent, verifies its audit log and is ready again after each kill', async () => {
    const started = Date.now();
    port = await freePort();
    app = new AppProcess('standalone', port, { env });
    await app.ready();
    const token = await setUpPipeline(app.url, 'payments');

    const run = await sigkillUnderLoad({
      kills: KILLS,
      acknowledgedBetweenKills: 150,
      ingestUrl: () => app.url,
      token,
      kill: async () => void expect((await app.kill('SIGKILL')).signal).toBe('SIGKILL'),
      restart: async () => {
        app = new AppProcess('standalone', port, { env });
        await app.ready();
      },
    });

    const { lost, moved } = await findLost(app.url, token, run.load.acknowledged);
    const verification = await verifyAuditLog(app.url);
    const health = await call(app.url, 'GET', '/health');
    recordFigures('sigkill-embedded', {
      store: 'embedded (PGlite)',
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
    expect(health.status).toBe(200);
    await expectReaderHealthy(app.url);
  }, 300_000);
});
