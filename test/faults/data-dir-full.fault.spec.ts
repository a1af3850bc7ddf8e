import { AppProcess, freePort, sleep, until } from './app-process.js';
import { recordFigures, seconds } from './fault-figures.js';
import { findLost, ingestLoad } from './ingest-load.js';
import { ADMIN_TOKEN, call, setUpPipeline, verifyAuditLog } from './ledger-client.js';
import { expectReaderHealthy } from './reader-health.js';
import { SmallTmpfs } from './small-tmpfs.js';

/** A fresh embedded store takes about 40 MiB (one 16 MiB WAL segment among them). */
const TMPFS_MIB = 128;
/**
 * Left free when the disk is filled: the load uses it up within seconds. (With a few MiB left, the
 * WAL's next 16 MiB segment fails first, but only after some 2,700 events: too long for this case.)
 */
const LEAVE_BYTES = 256 * 1024;
const CONDITION_MS = 12_000;

const diff = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));

const statusOf = (url: string, path: string, token?: string) =>
  call(url, 'GET', path, { ...(token ? { token } : {}), timeoutMs: 3000 }).then(
    (a) => a.status,
    () => 0, // no answer within 3 s
  );

// Chmod does not stop root, so the data directory is a real small file system (tmpfs), run full by
// another file while the load goes on, then given its space back.
const tmpfs = SmallTmpfs.mount(TMPFS_MIB);
const refused = 'refused' in tmpfs ? tmpfs.refused : null;
if (refused) process.stderr.write(`data-dir-full skipped: this machine does not let the test mount a tmpfs (${refused})\n`);

(refused ? describe.skip : describe)('Data directory full under ingest load: standalone app, embedded store on a small tmpfs', () => {
  const disk = tmpfs as SmallTmpfs;
  const env = { DATA_DIR: disk.dir, BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN, INGEST_RATE_LIMIT: '0' };
  let app: AppProcess;

  afterAll(async () => {
    await app?.stop();
    disk.unmount();
  });

  it('answers 503 problem+json and /health 503 while the disk is full, keeps reading, and loses nothing once space is back', async () => {
    const started = Date.now();
    const port = await freePort();
    app = new AppProcess('standalone', port, { env });
    await app.ready();
    const token = await setUpPipeline(app.url, 'payments');
    const load = ingestLoad(() => app.url, token, { clients: 6, acceptedStatuses: [503, 507] });
    const health: number[] = [];
    const reads: number[] = [];
    let during: Record<string, number>;
    let exit: Awaited<AppProcess['exited']> | null = null;
    let restartedBecause: 'exited' | 'stopped answering' | null = null;
    let recoverySeconds: number;
    try {
      await until(() => load.state.acknowledged.length >= 100, 60_000, 'acknowledgements before the disk fills');
      const before = { ...load.state.answers };
      disk.fill(LEAVE_BYTES);
      for (const end = Date.now() + CONDITION_MS; Date.now() < end && app.running;) {
        health.push(await statusOf(app.url, '/health'));
        reads.push(await statusOf(app.url, '/v1/projects', ADMIN_TOKEN));
        await sleep(1000);
      }
      during = diff(load.state.answers, before);
      const freedAt = Date.now();
      disk.release();
      // Recovery: an app that exited is started again (as its supervisor would); one that stopped
      // answering is a failure of the product, killed here so the store can still be checked.
      if (!app.running) {
        exit = await app.exited;
        restartedBecause = 'exited';
      } else if (
        !(await until(async () => (await statusOf(app.url, '/health')) !== 0, 10_000, 'an answer').then(
          () => true,
          () => false,
        ))
      ) {
        restartedBecause = 'stopped answering';
        await app.kill('SIGKILL');
      }
      if (restartedBecause) {
        process.stderr.write(`data-dir-full: the app ${restartedBecause}; its last output:\n${app.output.join('').slice(-2000)}\n`);
        app = new AppProcess('standalone', port, { env });
      }
      const acked = load.state.acknowledged.length;
      await until(() => load.state.acknowledged.length > acked + 50, 60_000, 'acknowledgements once space is back');
      await app.ready(60_000);
      recoverySeconds = seconds(Date.now() - freedAt);
    } finally {
      await load.stop();
    }
    const { lost, moved } = await findLost(app.url, token, load.state.acknowledged);
    const verification = await verifyAuditLog(app.url);
    recordFigures('data-dir-full', {
      method: `tmpfs of ${TMPFS_MIB} MiB as DATA_DIR, filled by another file to ${LEAVE_BYTES} bytes free under load`,
      conditionSeconds: CONDITION_MS / 1000,
      sent: load.state.sent,
      acknowledged: load.state.acknowledged.length,
      lost: lost.length,
      positionChanged: moved.length,
      answersWhileFull: during,
      unexpectedAnswers: load.state.unexpected.slice(0, 5),
      healthWhileFull: health,
      readsWhileFull: reads,
      exit,
      restartedBecause,
      recoverySeconds,
      auditLog: { ok: verification.ok, checkedEvents: verification.checkedEvents },
      runSeconds: seconds(Date.now() - started),
    });
    // Writes failed for lack of space, each with a clear answer within the client's 10 s bound.
    expect(load.state.unexpected).toEqual([]);
    expect((during['503'] ?? 0) + (during['507'] ?? 0)).toBeGreaterThan(0);
    expect(restartedBecause).not.toBe('stopped answering');
    if (exit) {
      expect(exit.code).not.toBe(0);
    } else {
      expect(during['none'] ?? 0).toBe(0);
      expect(health.at(-1)).toBe(503);
      expect(reads.every((status) => status === 200)).toBe(true);
    }
    expect(lost).toEqual([]);
    expect(moved).toEqual([]);
    expect(verification.ok).toBe(true);
    await expectReaderHealthy(app.url);
  }, 180_000);
});
