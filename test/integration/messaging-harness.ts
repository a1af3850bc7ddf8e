import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { EventStore, NewEvent } from '#kernel';
import { testKafkaBrokers } from '#testing';
import type { SqlDatabase } from '#event-store';

/** Helpers of the messaging integration tests (real PostgreSQL and Kafka). */

/** A topic and group prefix of its own per run, so a rerun never reads an earlier run's messages. */
export const uniquePrefix = (name: string) => `it-${name}-${randomBytes(4).toString('hex')}.`;

export const kafkaClient = () =>
  new Kafka({ clientId: 'ledger-it', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING, retry: { retries: 3 } });

/** Stops or starts the shared test broker (scripts/services.sh). */
export const kafkaService = (command: 'kafka-stop' | 'kafka-start') =>
  execFileSync('bash', ['scripts/services.sh', command], { stdio: 'ignore', env: { ...process.env, SERVICES: 'kafka' } });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** The relay app (apps/relay) from its TypeScript sources, in a child process that can be SIGKILLed. */
export class RelayProcess {
  private readonly child: ChildProcess;
  readonly output: string[] = [];
  readonly exited: Promise<NodeJS.Signals | number | null>;

  constructor(env: Record<string, string>) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-relay-'));
    this.child = spawn(process.execPath, ['--import', './test/integration/messaging-ts-register.mjs', 'apps/relay/src/main.ts'], {
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        rmSync(dataDir, { recursive: true, force: true });
        resolve(signal ?? code);
      }),
    );
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<NodeJS.Signals | number | null> {
    this.child.kill(signal);
    return this.exited;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}

/** Access Control events as its deciders record them, so the production mappers publish them. */
export function accessControlEvent(stream: number, version: number): NewEvent {
  const grant = { grantId: `it-${stream}`, principalId: `user-${stream}`, role: 'developer', project: 'payments' };
  const granted = version % 2 === 1;
  return {
    eventId: randomUUID(),
    type: granted ? 'RoleGranted' : 'RoleRevoked',
    data: granted ? { ...grant, reason: 'load', grantedBy: 'admin', expiresAt: null } : { ...grant, reason: 'load', revokedBy: 'admin' },
    metadata: {
      actor: 'admin',
      correlationId: randomUUID(),
      occurredAt: new Date().toISOString(),
      context: 'access-control',
      project: 'payments',
    },
  };
}

export const loadStreamId = (stream: number) => `rolegrant-it-${stream}`;

/**
 * Appends Access Control events round-robin over `streams` streams (expected versions checked) at
 * about `perSecond`, until `total` or `stop()`. Every append must succeed: failures are counted.
 */
export function appendLoad(
  store: EventStore,
  options: { streams: number; perSecond: number; total?: number; batch?: number; writers?: number },
) {
  const batch = options.batch ?? 5;
  const writers = options.writers ?? 4;
  const versions = new Array<number>(options.streams).fill(0);
  const state = { appended: 0, failures: [] as string[], stopped: false };
  const started = Date.now();
  const writer = async (w: number) => {
    for (let i = w; !state.stopped; i += writers) {
      if (options.total !== undefined && state.appended >= options.total) return;
      const stream = i % options.streams;
      const events = Array.from({ length: batch }, (_, k) => accessControlEvent(stream, versions[stream]! + k + 1));
      const take = options.total === undefined ? batch : Math.min(batch, options.total - state.appended);
      if (take <= 0) return;
      state.appended += take; // reserved before the await, so writers never overshoot the total
      try {
        await store.append(loadStreamId(stream), events.slice(0, take), versions[stream]!);
        versions[stream]! += take;
      } catch (error) {
        state.appended -= take;
        state.failures.push(String(error));
      }
      const ahead = state.appended / options.perSecond - (Date.now() - started) / 1000;
      if (ahead > 0) await sleep(ahead * 1000);
    }
  };
  // Streams are split between writers (i ≡ w mod writers), so one stream never sees two writers.
  if (options.streams % writers !== 0) throw new RangeError('streams must be a multiple of writers');
  const done = Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  return {
    state,
    done,
    async stop() {
      state.stopped = true;
      await done;
    },
  };
}

/** Records every event a consumer applies, in the consumer's transaction. */
export const APPLIED_SCHEMA =
  'CREATE TABLE IF NOT EXISTS applied (seq bigserial PRIMARY KEY, event_id text NOT NULL, subject text NOT NULL)';

/**
 * Exactly once and in order: every event of the store applied once, and each stream's events
 * applied in their stream order (from the store's own versions).
 */
export async function appliedReport(db: SqlDatabase) {
  const [totals] = await db.query<{ applied: string; distinct_events: string; stored: string }>(
    `SELECT (SELECT count(*) FROM applied) AS applied, (SELECT count(DISTINCT event_id) FROM applied) AS distinct_events,
            (SELECT count(*) FROM events) AS stored`,
  );
  const rows = await db.query<{ stream_id: string; stream_version: number }>(
    'SELECT e.stream_id, e.stream_version FROM applied a JOIN events e USING (event_id) ORDER BY a.seq',
  );
  const last = new Map<string, number>();
  const outOfOrder: string[] = [];
  for (const { stream_id, stream_version } of rows) {
    if (stream_version !== (last.get(stream_id) ?? 0) + 1)
      outOfOrder.push(`${stream_id}@${stream_version} after ${last.get(stream_id) ?? 0}`);
    last.set(stream_id, stream_version);
  }
  return { applied: Number(totals!.applied), distinct: Number(totals!.distinct_events), stored: Number(totals!.stored), outOfOrder };
}
