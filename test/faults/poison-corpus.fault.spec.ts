import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildCdEvent } from '#cdevents';
import { AppProcess, freePort } from './app-process.js';
import { recordFigures, seconds } from './fault-figures.js';
import { ADMIN_TOKEN, call, setUpPipeline, verifyAuditLog, type Answer } from './ledger-client.js';
import { deep, poisonCdEventBody } from './poison-cdevents.arbitrary.js';
import { expectReaderHealthy } from './reader-health.js';

const RUNS = Number(process.env['FAULTS_POISON_RUNS'] ?? 300);

/** Every answer to a poisoned CDEvent: accepted (2xx) or refused as the client's fault (4xx problem+json); never a 5xx. */
const wellAnswered = (a: Answer) =>
  (a.status >= 200 && a.status < 300) || (a.status >= 400 && a.status < 500 && a.contentType.startsWith('application/problem+json'));

describe('poison corpus: property-based boundary CDEvents against the standalone app', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-fault-poison-'));
  let app: AppProcess;
  let token: string;
  const statuses: Record<string, number> = {};
  const bad: string[] = [];

  beforeAll(async () => {
    app = new AppProcess('standalone', await freePort(), {
      env: { DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN, INGEST_RATE_LIMIT: '0' },
    });
    await app.ready();
    token = await setUpPipeline(app.url, 'payments');
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = async (event: unknown) => {
    const raw = typeof event === 'string' ? event : JSON.stringify(event);
    const answer = await call(app.url, 'POST', '/v1/cdevents', { token, raw, timeoutMs: 30_000 });
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    return answer;
  };

  it('the known poison cases are 400 naming the field', async () => {
    const cases = {
      '/subject/content/pipelineName': { pipelineName: 'a\u0000b' },
      '/context/timestamp': { timestamp: '0000-01-01T00:00:00Z' },
      '/subject/id': { subjectId: 'x'.repeat(10_000) },
    };
    for (const [pointer, poison] of Object.entries(cases)) {
      const event = buildCdEvent(
        'dev.cdevents.pipelinerun.started.0.3.0',
        {
          source: '/faults/poison',
          subject: { id: 'run-1', content: { pipelineName: 'release', uri: 'https://ci.example.com/runs/1' } },
        },
        { validate: false },
      );
      Object.assign(event.subject.content, 'pipelineName' in poison ? poison : {});
      if ('timestamp' in poison) event.context.timestamp = poison.timestamp;
      if ('subjectId' in poison) event.subject.id = poison.subjectId;
      const answer = await post(event);
      expect({ pointer, status: answer.status, type: answer.contentType }).toEqual({
        pointer,
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(answer.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    }
  });

  // Found by this suite: canonicalize (RFC 8785) recurses once per level and overflows the stack
  // between 3,000 and 5,000 levels, well within the 1 MiB body limit, so the answer is a 500.
  it('a body nested 5,000 levels deep is refused as a 4xx, not a 500', async () => {
    const event = buildCdEvent('dev.cdevents.build.queued.0.3.0', { source: '/faults/poison', subject: { id: 'b', content: {} } });
    const body = JSON.stringify({ ...event, customData: { marker: deep(5000) } }).replace(
      /"<<nested (\d+)>>"/,
      (_, depth: string) => '{"x":'.repeat(Number(depth)) + '0' + '}'.repeat(Number(depth)),
    );
    const answer = await post(body);
    expect({ status: answer.status, type: answer.contentType }).toEqual({
      status: expect.any(Number),
      type: expect.stringContaining('application/problem+json'),
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  });

  it(`${RUNS} poisoned CDEvents get 2xx or 4xx problem+json, and every reader applies everything`, async () => {
    const started = Date.now();
    const seed = Number(process.env['FAULTS_POISON_SEED'] ?? Date.now() % 2 ** 31);
    await fc.assert(
      fc.asyncProperty(poisonCdEventBody, async (event) => {
        const answer = await post(event).catch((error: unknown) => ({ status: 0, contentType: `no answer: ${String(error)}`, body: null }));
        if (!wellAnswered(answer)) bad.push(`${answer.status} ${answer.contentType} for ${event.slice(0, 400)}`);
        // Judged after the run: fast-check's report of a 5,000-deep counterexample overflows the stack.
        return true;
      }),
      { numRuns: RUNS, seed },
    );
    const verification = await verifyAuditLog(app.url);
    const readers = await expectReaderHealthy(app.url);
    recordFigures('poison-corpus', {
      runs: RUNS,
      seed,
      statuses,
      notProblemOr5xx: bad.length,
      readers: { failing: readers.failing, caughtUp: readers.caughtUp, sealer: readers.sealer },
      auditLog: { ok: verification.ok, checkedEvents: verification.checkedEvents },
      runSeconds: seconds(Date.now() - started),
    });
    expect(bad).toEqual([]);
    expect(verification.ok).toBe(true);
    expect((await call(app.url, 'GET', '/health')).status).toBe(200);
  }, 240_000);
});
