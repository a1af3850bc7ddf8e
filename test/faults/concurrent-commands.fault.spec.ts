import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { buildCdEvent } from '#cdevents';
import { AppProcess, freePort, until } from './app-process.js';
import { recordFigures, seconds } from './fault-figures.js';
import { ADMIN_TOKEN, call, expectStatus, setUpPipeline } from './ledger-client.js';

const COPIES = 50;

interface Command {
  readonly name: string;
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly raw?: string;
  readonly token?: string;
  /** Sent with one Idempotency-Key (the API's retry contract); else the command is idempotent by itself. */
  readonly keyed: boolean;
  /** The first answer's status. */
  readonly status: number;
  /** The event the command records, told apart from others by a marker in its data. */
  readonly effect: { readonly type: string; readonly marker: string };
}

/** The events of the sealed audit log (the export), once it has sealed everything stored. */
async function sealedEvents(baseUrl: string): Promise<{ type: string; data: unknown }[]> {
  let lines: string[] = [];
  await until(
    async () => {
      const verified = await call(baseUrl, 'POST', '/v1/audit/verify', { token: ADMIN_TOKEN });
      const exported = await call(baseUrl, 'GET', '/v1/audit/log/export', { token: ADMIN_TOKEN, timeoutMs: 60_000 });
      lines = String(exported.body).trim().split('\n');
      // The verification counts every stored event; the export holds the sealed ones (and its header).
      return verified.body.ok === true && lines.length - 1 >= verified.body.checkedEvents;
    },
    30_000,
    'the sealer to seal every event',
    500,
  );
  return lines.slice(1).map((line) => JSON.parse(line).event as { type: string; data: unknown });
}

/** 50 concurrent identical requests of every command the HTTP API has: exactly one effect each, and answers that agree. */
describe('50 concurrent identical commands give exactly one effect (standalone app)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-fault-concurrent-'));
  let app: AppProcess;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    app = new AppProcess('standalone', await freePort(), {
      env: { DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN, INGEST_RATE_LIMIT: '0' },
    });
    await app.ready();
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every command endpoint, 50 copies at once', async () => {
    const started = Date.now();
    const admin = { token: ADMIN_TOKEN };
    const pipelineToken = await setUpPipeline(app.url, 'payments');
    await expectStatus(call(app.url, 'POST', '/v1/principals', { ...admin, body: { id: 'erin', kind: 'user', displayName: 'Erin' } }), 201);
    const grant = await expectStatus(
      call(app.url, 'POST', '/v1/role-grants', {
        ...admin,
        body: { principalId: 'erin', role: 'developer', project: 'payments', reason: 'to revoke' },
      }),
      201,
    );
    const token = await expectStatus(call(app.url, 'POST', '/v1/principals/erin/tokens', { ...admin, body: {} }), 201);
    const cdevent = buildCdEvent('dev.cdevents.build.queued.0.3.0', {
      source: '/faults/concurrent',
      subject: { id: 'build-concurrent', content: {} },
    });

    const commands: Command[] = [
      {
        name: 'create project',
        method: 'POST',
        path: '/v1/projects',
        body: { id: 'shop', name: 'Shop' },
        keyed: true,
        status: 201,
        effect: { type: 'ProjectCreated', marker: '"shop"' },
      },
      {
        name: 'register principal',
        method: 'POST',
        path: '/v1/principals',
        body: { id: 'frank', kind: 'user', displayName: 'Frank' },
        keyed: true,
        status: 201,
        effect: { type: 'PrincipalRegistered', marker: '"frank"' },
      },
      {
        name: 'issue token',
        method: 'POST',
        path: '/v1/principals/frank/tokens',
        body: {},
        keyed: true,
        status: 201,
        effect: { type: 'TokenIssued', marker: '"frank"' },
      },
      {
        name: 'revoke token',
        method: 'DELETE',
        path: `/v1/principals/erin/tokens/${token.body.id}`,
        keyed: true,
        status: 204,
        effect: { type: 'TokenRevoked', marker: token.body.id },
      },
      {
        name: 'grant role (idempotent by itself)',
        method: 'POST',
        path: '/v1/role-grants',
        body: { principalId: 'frank', role: 'qa', project: 'payments', reason: 'joined' },
        keyed: false,
        status: 201,
        effect: { type: 'RoleGranted', marker: '"role":"qa"' },
      },
      {
        name: 'grant role (keyed)',
        method: 'POST',
        path: '/v1/role-grants',
        body: { principalId: 'frank', role: 'developer', project: 'shop', reason: 'joined' },
        keyed: true,
        status: 201,
        effect: { type: 'RoleGranted', marker: '"project":"shop"' },
      },
      {
        name: 'revoke role',
        method: 'POST',
        path: `/v1/role-grants/${grant.body.id}/revoke`,
        body: { reason: 'left' },
        keyed: true,
        status: 200,
        effect: { type: 'RoleRevoked', marker: grant.body.id },
      },
      {
        name: 'change project settings',
        method: 'PUT',
        path: '/v1/projects/payments/settings',
        body: { environments: ['dev', 'prod-eu'], productionEnvironments: ['prod-eu'] },
        keyed: true,
        status: 200,
        effect: { type: 'ProjectSettingsChanged', marker: '"prod-eu"' },
      },
      {
        name: 'access decision',
        method: 'POST',
        path: '/v1/access/decisions',
        body: {
          principalId: 'erin',
          action: 'deployment.execute',
          resource: { type: 'deployment', id: 'concurrent-decision', project: 'payments' },
        },
        keyed: true,
        status: 200,
        effect: { type: 'AccessDenied', marker: '"concurrent-decision"' },
      },
      {
        name: 'ingest CDEvent (idempotent by identity)',
        method: 'POST',
        path: '/v1/cdevents',
        raw: JSON.stringify(cdevent),
        token: pipelineToken,
        keyed: false,
        status: 202,
        effect: { type: 'CdEventRecorded', marker: 'build-concurrent' },
      },
    ];

    const problems: string[] = [];
    for (const command of commands) {
      const headers: Record<string, string> = command.keyed ? { 'idempotency-key': randomUUID() } : {};
      const requests = Array.from({ length: COPIES }, () =>
        fetch(`${app.url}${command.path}`, {
          method: command.method,
          headers: { authorization: `Bearer ${command.token ?? ADMIN_TOKEN}`, 'content-type': 'application/json', ...headers },
          ...((command.raw ?? command.body !== undefined) ? { body: command.raw ?? JSON.stringify(command.body) } : {}),
          signal: AbortSignal.timeout(60_000),
        }).then(async (r) => ({ status: r.status, replayed: r.headers.get('idempotent-replayed') === 'true', body: await r.text() })),
      );
      const answers = await Promise.all(requests);
      const statuses: Record<number, number> = {};
      for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
      figures[command.name] = statuses;
      const first = answers.filter((a) => a.status === command.status && !a.replayed);
      const agreeing = answers.filter((a) => a.status === command.status || (a.status === 200 && !command.keyed));
      // Keyed: the first answer once, replays of it, or 409 while it runs. Unkeyed: the first once, then 200 "already so".
      const allowed = (a: (typeof answers)[number]) =>
        command.keyed ? a.status === command.status || a.status === 409 : a.status === command.status || a.status === 200;
      if (first.length !== 1) problems.push(`${command.name}: ${first.length} first answers ${JSON.stringify(statuses)}`);
      if (!answers.every(allowed)) problems.push(`${command.name}: unexpected statuses ${JSON.stringify(statuses)}`);
      const bodies = new Set(agreeing.map((a) => normalizeBody(a.body)));
      if (bodies.size > 1) problems.push(`${command.name}: ${bodies.size} different bodies: ${[...bodies].join(' | ').slice(0, 500)}`);
    }

    const events = await sealedEvents(app.url);
    const effects: Record<string, number> = {};
    for (const command of commands) {
      const n = events.filter((e) => e.type === command.effect.type && JSON.stringify(e.data).includes(command.effect.marker)).length;
      effects[command.name] = n;
      if (n !== 1) problems.push(`${command.name}: ${n} ${command.effect.type} events`);
    }
    const grants = await call(app.url, 'GET', '/v1/role-grants?principalId=frank', admin);
    const tokens = await call(app.url, 'GET', '/v1/principals/frank/tokens', admin);
    const projects = await call(app.url, 'GET', '/v1/projects', admin);
    const listings = {
      grantsOfFrank: grants.body.items.length,
      tokensOfFrank: tokens.body.items.length,
      projectsNamedShop: projects.body.items.filter((p: { id: string }) => p.id === 'shop').length,
    };
    recordFigures('concurrent-commands', {
      copies: COPIES,
      answers: figures,
      effects,
      listings,
      runSeconds: seconds(Date.now() - started),
    });
    expect(problems).toEqual([]);
    expect(listings).toEqual({ grantsOfFrank: 2, tokensOfFrank: 1, projectsNamedShop: 1 });
  }, 240_000);
});

/** Answers agree when equal but for the per-request problem `instance` and decision times. */
function normalizeBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    delete parsed['instance'];
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
}
