import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root, so children run from it whatever the test's working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export type AppName = 'standalone' | 'access-control' | 'telemetry' | 'audit';

/** The built entry point (`npm run test:faults` builds first): the TS loader takes twice as long to start. */
function entryPoint(app: AppName): string {
  const path = `${REPO_ROOT}dist/apps/${app}/src/main.js`;
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` (npm run test:faults does)`);
  return path;
}

export interface SpawnOptions {
  readonly env: Record<string, string>;
  /** Runs the app under this command (e.g. `prlimit --fsize=… --`), the app's argv appended. */
  readonly wrapper?: readonly string[];
}

/** One app as a child process on a fixed loopback port, so it can be SIGKILLed and started again on the same address. */
export class AppProcess {
  private readonly child: ChildProcess;
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly startedAt = Date.now();

  constructor(
    readonly app: AppName,
    readonly port: number,
    options: SpawnOptions,
  ) {
    const argv = [process.execPath, entryPoint(app)];
    const [command, ...args] = [...(options.wrapper ?? []), ...argv];
    this.child = spawn(command!, args, {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for `/health` 200; fails early, with the app's output, if it exits first. */
  async ready(timeoutMs = 90_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.app} exited before it was ready:\n${this.output.join('')}`);
      const status = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(3000) }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return Date.now();
      await sleep(100);
    }
    throw new Error(`${this.app} not ready within ${timeoutMs} ms:\n${this.output.join('')}`);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL') {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
