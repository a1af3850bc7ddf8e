import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildCdEvent, CdEventTypes } from '#cdevents';
import { loadConfig } from '#platform';
import { median, repoRoot, round, writeResult } from './bench-utils.js';

/**
 * Resident memory of the standalone app (`node dist/apps/standalone/src/main.js`, embedded store,
 * no Kafka) in a child process: right after /health answers on a fresh DATA_DIR, after an ingest
 * load, when idle a while later, and after a restart on the same (now initialised) DATA_DIR.
 * RSS is VmRSS from /proc/<pid>/status; heap and external come from the app's /metrics gauges.
 * Baselines in the same run, each in its own process: Node doing nothing, and Node opening only
 * PGlite with the options the app would use (read from the same environment), on a fresh
 * directory and again on the initialised one.
 * Settings under test (PGLITE_*, NODE_OPTIONS, …) pass through from this process's environment.
 */

const RUNS = Number(process.env['BENCH_MEMORY_RUNS'] ?? 3);
const EVENTS = Number(process.env['BENCH_MEMORY_EVENTS'] ?? 2000);
const IDLE_MS = Number(process.env['BENCH_MEMORY_IDLE_MS'] ?? 30_000);
const CLIENTS = 8;
/** Another build of the app may be measured (say, the one before a change). */
const APP_MAIN = process.env['BENCH_MEMORY_APP'] ?? join(repoRoot(), 'dist/apps/standalone/src/main.js');
const ADMIN = 'bench-bootstrap-admin-token-0123456789';
const MB = 1024 * 1024;

/** VmRSS of a process in MB. */
function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return round(Number(match[1]) / 1024, 1);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  readonly rssMb: number;
  /** From the app's /metrics (process.memoryUsage), when it exposes them. */
  readonly heapUsedMb?: number;
  readonly externalMb?: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The environment of a child: this one's, without any external service, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'KURRENTDB_URL', 'EVENT_STORE', 'BENCH_PGLITE_DIR']) delete env[name];
  // As `npm start` runs the app (package.json), unless this run says otherwise.
  return { MALLOC_ARENA_MAX: '2', ...env, ...extra };
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await done;
  clearTimeout(timer);
}

interface RunningApp {
  readonly child: ChildProcess;
  readonly base: string;
  sample(): Promise<Sample>;
}

async function startApp(dataDir: string): Promise<RunningApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [APP_MAIN], {
    env: childEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      BOOTSTRAP_ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'warn',
      INGEST_RATE_LIMIT: '0',
    }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the standalone app exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error('the standalone app did not answer /health within 120 s');
    }
    const status = await fetch(`${base}/health`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) break;
    await sleep(100);
  }
  const sample = async (): Promise<Sample> => {
    const rss = rssMb(child.pid!);
    const metrics = await fetch(`${base}/metrics`).then((res) => res.text());
    const gauge = (name: string) => {
      const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics);
      return match ? round(Number(match[1]) / MB, 1) : undefined;
    };
    const heapUsedMb = gauge('nodejs_heap_size_used_bytes');
    const externalMb = gauge('nodejs_external_memory_bytes');
    return { rssMb: rss, ...(heapUsedMb === undefined ? {} : { heapUsedMb }), ...(externalMb === undefined ? {} : { externalMb }) };
  };
  return { child, base, sample };
}

async function call(base: string, path: string, token: string, body: unknown, expected: number): Promise<Record<string, string>> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, string>;
}

/** A project, a pipeline allowed to ingest into it, then EVENTS deployment CDEvents, one per request: events/s. */
async function ingestLoad(base: string): Promise<number> {
  await call(base, '/v1/projects', ADMIN, { id: 'payments', name: 'Payments' }, 201);
  await call(base, '/v1/principals', ADMIN, { id: 'ci-payments', kind: 'pipeline', displayName: 'Payments CI' }, 201);
  await call(base, '/v1/role-grants', ADMIN, { principalId: 'ci-payments', role: 'pipeline', project: 'payments', reason: 'bench' }, 201);
  const token = (await call(base, '/v1/principals/ci-payments/tokens', ADMIN, {}, 201))['token']!;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < EVENTS) {
        const i = next++;
        const event = buildCdEvent(
          CdEventTypes.ServiceDeployed,
          {
            id: `memory-${i}`,
            source: '/cd/argo/payments',
            timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
            subject: {
              id: `service-${i % 20}`,
              content: {
                environment: { id: i % 3 === 0 ? 'production' : 'staging' },
                artifactId: `pkg:oci/service-${i % 20}@sha256:${i.toString(16).padStart(64, '0')}`,
              },
            },
          },
          { validate: false },
        );
        await call(base, '/v1/cdevents?project=payments', token, event, 202);
      }
    }),
  );
  return round(EVENTS / ((performance.now() - start) / 1000));
}

interface AppRun {
  readonly start: Sample;
  readonly afterLoad: Sample;
  readonly idle: Sample;
  readonly restart: Sample;
  readonly load: { readonly eventsPerSecond: number };
}

async function appRun(): Promise<AppRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-memory-'));
  try {
    let app = await startApp(dataDir);
    let restart: Sample;
    let start: Sample, afterLoad: Sample, idle: Sample, eventsPerSecond: number;
    try {
      start = await app.sample();
      eventsPerSecond = await ingestLoad(app.base);
      afterLoad = await app.sample();
      await sleep(IDLE_MS);
      idle = await app.sample();
    } finally {
      await stopChild(app.child);
    }
    app = await startApp(dataDir);
    try {
      restart = await app.sample();
    } finally {
      await stopChild(app.child);
    }
    return { start, afterLoad, idle, restart, load: { eventsPerSecond } };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A baseline process's RSS once ready and after `settleMs`. */
async function baseline(pgliteDir: string | null, settleMs: number): Promise<{ ready: number; settled: number }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./memory-baseline.js', import.meta.url))], {
    env: childEnv(pgliteDir ? { BENCH_PGLITE_DIR: pgliteDir } : {}),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
    });
    const ready = rssMb(child.pid!);
    await sleep(settleMs);
    return { ready, settled: rssMb(child.pid!) };
  } finally {
    const done = exited(child);
    child.send('stop');
    await done;
  }
}

interface BaselineRun {
  readonly nodeOnly: number;
  readonly pgliteFreshOpen: number;
  readonly pgliteFreshIdle: number;
  readonly pgliteReopen: number;
}

async function baselineRun(): Promise<BaselineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-memory-pglite-'));
  try {
    const nodeOnly = await baseline(null, 0);
    const fresh = await baseline(dir, IDLE_MS);
    const reopen = await baseline(dir, 0);
    return { nodeOnly: nodeOnly.ready, pgliteFreshOpen: fresh.ready, pgliteFreshIdle: fresh.settled, pgliteReopen: reopen.ready };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The median of each figure over the runs, with every run's value beside it. */
function summarise<T extends object>(
  runs: readonly T[],
  pick: (run: T) => Record<string, number>,
): Record<string, { median: number; runs: number[] }> {
  const keys = Object.keys(pick(runs[0]!));
  return Object.fromEntries(
    keys.map((key) => {
      const values = runs.map((run) => pick(run)[key]!);
      return [key, { median: round(median(values), 1), runs: values }];
    }),
  );
}

const flatten = (run: AppRun): Record<string, number> =>
  Object.fromEntries(
    Object.entries(run as unknown as Record<string, Record<string, number>>).flatMap(([phase, figures]) =>
      Object.entries(figures).map(([figure, value]) => [`${phase}.${figure}`, value]),
    ),
  );

export async function run(): Promise<Record<string, unknown>> {
  const apps: AppRun[] = [];
  const baselines: BaselineRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    process.stderr.write(`memory: run ${i + 1} of ${RUNS}\n`);
    baselines.push(await baselineRun());
    apps.push(await appRun());
  }
  const settings = loadConfig(childEnv({}));
  const figures = {
    runs: RUNS,
    statistic: `median over the runs, in MB (RSS: VmRSS; heap used and external: the app's /metrics) and events/s; idle = ${IDLE_MS / 1000} s after the load`,
    load: `${EVENTS} CDEvents, one per POST /v1/cdevents, ${CLIENTS} clients`,
    app: APP_MAIN === join(repoRoot(), 'dist/apps/standalone/src/main.js') ? 'this build' : APP_MAIN,
    pglite: settings.pglite,
    nodeOptions: process.env['NODE_OPTIONS'] ?? '',
    mallocArenaMax: process.env['MALLOC_ARENA_MAX'] ?? '2',
    standalone: summarise(apps, flatten),
    baseline: summarise(baselines, (b) => ({ ...b })),
  };
  writeResult('memory', figures);
  return { name: 'memory', node: process.version, resultFile: 'bench/results/memory.json', ...figures };
}
