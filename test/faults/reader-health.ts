import { compareCursors } from '#kernel';
import { sleep } from './app-process.js';
import { ADMIN_TOKEN, call } from './ledger-client.js';

interface ProjectionItem {
  name: string;
  role: string;
  cursor: string | null;
  error: string | null;
  quarantined?: number;
}

/**
 * What the readers of one app say: projections (admin API), the relay and the sealer (/health).
 * The head of the global order is the cursor of the relay (of `headUrl`'s app, where this one has
 * none) once its lag is 0. /health is read first: listing projections records an access decision,
 * so their cursors then lie at or past that head.
 */
export async function readerReport(baseUrl: string, headUrl = baseUrl) {
  const headHealth = await call(headUrl, 'GET', '/health');
  const relay = headHealth.body?.checks?.messaging?.relay;
  const head: string | undefined = relay?.lag === 0 ? relay.cursor : undefined;
  const health = headUrl === baseUrl ? headHealth : await call(baseUrl, 'GET', '/health');
  const projections = await call(baseUrl, 'GET', '/v1/admin/projections', { token: ADMIN_TOKEN });
  const items = (projections.body?.items ?? []) as ProjectionItem[];
  const checks = health.body?.checks ?? {};
  const active = items.filter((p) => p.role === 'active');
  return {
    projectionsStatus: projections.status,
    healthStatus: health.status,
    /** Every projection without an error and, where the runner reports it, nothing quarantined. */
    failing: items
      .filter((p) => p.error !== null || (typeof p.quarantined === 'number' && p.quarantined !== 0))
      .map((p) => `${p.name}: error ${p.error}, quarantined ${p.quarantined ?? 'n/a'}`),
    /** Every active projection at or past the head. */
    caughtUp: head !== undefined && active.every((p) => p.cursor !== null && compareCursors(p.cursor, head) >= 0),
    head,
    cursors: active.map((p) => `${p.name}@${p.cursor}`),
    sealer: checks.auditLog?.sealer as string | undefined,
    treeSize: checks.auditLog?.treeSize as number | undefined,
  };
}

/**
 * Waits (the load has stopped) until every reader has applied everything, then checks that none
 * failed on the way: no projection error, nothing quarantined, the sealer sealing, /health 200.
 */
export async function expectReaderHealthy(
  baseUrl: string,
  options: { timeoutMs?: number; headUrl?: string; /** false: the app runs no sealer */ sealer?: boolean } = {},
) {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  // /health is 200 while degraded too, so wait for everything the check below asks for.
  const healthy = (r: Awaited<ReturnType<typeof readerReport>>) =>
    r.caughtUp && r.healthStatus === 200 && r.failing.length === 0 && (options.sealer === false || r.sealer === 'sealing');
  let report = await readerReport(baseUrl, options.headUrl);
  while (!healthy(report) && Date.now() < deadline) {
    await sleep(500);
    report = await readerReport(baseUrl, options.headUrl);
  }
  expect(report).toMatchObject({
    projectionsStatus: 200,
    healthStatus: 200,
    failing: [],
    caughtUp: true,
    ...(options.sealer === false ? {} : { sealer: 'sealing' }),
  });
  return report;
}
