import { AppProcess, freePort, sleep, until } from './app-process.js';
import { recordFigures, seconds } from './fault-figures.js';
import { findLost, ingestLoad } from './ingest-load.js';
import { ADMIN_TOKEN, call, setUpPipeline, verifyAuditLog } from './ledger-client.js';
import { PrivatePostgres } from './private-postgres.js';
import { expectReaderHealthy } from './reader-health.js';

const OUTAGE_MS = 10_000;

const diff = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));

/**
 * The standalone app on a PostgreSQL server of this test's own (never the shared one), which is
 * stopped as on a crash (`pg_ctl -m immediate`) for 10 s under ingest load and started again.
 */
describe('PostgreSQL stopped and started under ingest load (private server)', () => {
  let pg: PrivatePostgres;
  let app: AppProcess;

  afterAll(async () => {
    await app?.stop();
    pg?.destroy();
  });

  it('answers 503 problem+json meanwhile, recovers by itself and loses nothing acknowledged', async () => {
    const started = Date.now();
    pg = PrivatePostgres.create(await freePort());
    pg.start();
    app = new AppProcess('standalone', await freePort(), {
      env: { DATABASE_URL: pg.url(), BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN, INGEST_RATE_LIMIT: '0' },
    });
    await app.ready();
    const token = await setUpPipeline(app.url, 'payments');
    const load = ingestLoad(() => app.url, token, { clients: 8, acceptedStatuses: [503] });
    let during: Record<string, number>;
    let healthDuring: number;
    let recoverySeconds: number;
    try {
      await until(() => load.state.acknowledged.length >= 100, 60_000, 'acknowledgements before the outage');
      const before = { ...load.state.answers };
      pg.stop('immediate');
      await sleep(OUTAGE_MS);
      // The app must outlive its database: a process that exits keeps the service down.
      if (!app.running)
        throw new Error(`the app exited during the outage (${JSON.stringify(await app.exited)}):\n${app.output.join('').slice(-3000)}`);
      healthDuring = (await call(app.url, 'GET', '/health')).status;
      during = diff(load.state.answers, before);
      const restartedAt = Date.now();
      pg.start();
      const acked = load.state.acknowledged.length;
      await until(() => load.state.acknowledged.length > acked + 50, 60_000, 'acknowledgements after the outage');
      await app.ready(60_000);
      recoverySeconds = seconds(Date.now() - restartedAt);
    } finally {
      await load.stop();
    }
    const { lost, moved } = await findLost(app.url, token, load.state.acknowledged);
    const verification = await verifyAuditLog(app.url);
    recordFigures('postgres-outage', {
      outageSeconds: OUTAGE_MS / 1000,
      sent: load.state.sent,
      acknowledged: load.state.acknowledged.length,
      lost: lost.length,
      positionChanged: moved.length,
      answersDuringOutage: during,
      healthDuringOutage: healthDuring,
      recoverySeconds,
      auditLog: { ok: verification.ok, checkedEvents: verification.checkedEvents },
      runSeconds: seconds(Date.now() - started),
    });
    expect(load.state.unexpected).toEqual([]);
    expect(during['503'] ?? 0).toBeGreaterThan(0);
    expect(healthDuring).toBe(503);
    expect(lost).toEqual([]);
    expect(moved).toEqual([]);
    expect(verification.ok).toBe(true);
    await expectReaderHealthy(app.url);
  }, 240_000);
});
