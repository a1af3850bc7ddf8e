import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import request from 'supertest';
import type { SignedCheckpoint } from '#transparency-log';
import { createApp, loadConfig } from '#platform';
import { exportPublicKeyBase64, exportSigningKeySeed, generateSigningKeyPair } from '#transparency-log';
import { createScratchDatabase } from '#testing';
import { standaloneApp } from '../../apps/standalone/src/standalone.app.js';
import { runAuditCli } from '../../contexts/audit/src/cli/audit-cli.js';

const ADMIN = 'integration-bootstrap-token-0123456789';
const bearer = { Authorization: `Bearer ${ADMIN}` };
const signing = generateSigningKeyPair();
const PUBLIC_KEY = exportPublicKeyBase64(signing.publicKey);

interface Row {
  global_position: string;
}

/**
 * An attacker with write access to PostgreSQL changes the events table behind the application's
 * back (disabling the append-only trigger, as its owner can). Each case runs on a scratch
 * database with the standalone app on it, and must be caught by POST /v1/audit/verify and by the
 * offline CLI, both naming the first bad position.
 */
describe('audit log on PostgreSQL: tampering is detected and located', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let sql: pg.Client;
  let dataDir: string;
  let positions: number[];

  beforeEach(async () => {
    scratch = await createScratchDatabase('ledger_it_audit');
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-it-audit-'));
    const config = loadConfig({
      DATABASE_URL: scratch.url,
      DATA_DIR: dataDir,
      BOOTSTRAP_ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'silent',
      AUDIT_SIGNING_KEY: exportSigningKeySeed(signing.privateKey),
    });
    app = await createApp(standaloneApp, config);
    await app.init();
    http = request(app.getHttpServer());
    for (const id of ['payments', 'shop', 'search']) await http.post('/v1/projects').set(bearer).send({ id, name: id }).expect(201);
    for (const id of ['alice', 'bob', 'carol'])
      await http.post('/v1/principals').set(bearer).send({ id, kind: 'user', displayName: id }).expect(201);
    sql = new pg.Client({ connectionString: scratch.url });
    await sql.connect();
    positions = (await sql.query<Row>('SELECT global_position FROM events ORDER BY transaction_id, global_position')).rows.map((r) =>
      Number(r.global_position),
    );
    await until(
      async () => ((await http.get('/v1/audit/log/checkpoint').set(bearer)).body as SignedCheckpoint).treeSize === positions.length,
    );
  });

  afterEach(async () => {
    await sql?.end();
    await app?.close();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const tamper = async (statement: string) => {
    await sql.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    try {
      await sql.query(statement);
    } finally {
      await sql.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    }
  };

  /** POST /v1/audit/verify, the HTTP export through the CLI, and the CLI's own export from DATABASE_URL. */
  async function expectDetectedAt(position: number, problem = 'leaf-mismatch'): Promise<void> {
    const verify = await http.post('/v1/audit/verify').set(bearer).expect(200);
    expect(verify.body).toMatchObject({ ok: false, problem, firstMismatchPosition: position, treeSize: positions.length });

    const served = join(dataDir, 'served.jsonl');
    writeFileSync(served, (await http.get('/v1/audit/log/export').set(bearer).expect(200)).text);
    const own = join(dataDir, 'own.jsonl');
    const cli = await cliRun(['export', '--out', own], { DATABASE_URL: scratch.url });
    expect(cli.code).toBe(0);
    for (const file of [served, own]) {
      const res = await cliRun(['verify', '--export', file, '--public-key', PUBLIC_KEY]);
      expect(res.code).toBe(1);
      expect(res.out).toMatch(new RegExp(`^TAMPERED: .*position ${position} \\(leaf \\d+\\)`));
      expect(res.out.split('\n').filter(Boolean)).toHaveLength(1);
    }
  }

  it('reports the untouched log as intact, over HTTP and offline', async () => {
    const verify = await http.post('/v1/audit/verify').set(bearer).expect(200);
    expect(verify.body).toMatchObject({
      ok: true,
      checkedEvents: positions.length,
      treeSize: positions.length,
      firstMismatchPosition: null,
    });
    const file = join(dataDir, 'clean.jsonl');
    expect((await cliRun(['export', '--out', file], { DATABASE_URL: scratch.url })).code).toBe(0);
    const res = await cliRun(['verify', '--export', file, '--public-key', PUBLIC_KEY]);
    expect(res).toMatchObject({ code: 0 });
    expect(res.out).toBe(`ok: ${positions.length} events match the signed checkpoint at tree size ${positions.length}\n`);
  });

  it('detects one byte changed in one stored event', async () => {
    const found = await sql.query<Row>(
      `SELECT global_position FROM events WHERE data::text LIKE '%"shop"%' ORDER BY global_position LIMIT 1`,
    );
    const victim = Number(found.rows[0]!.global_position);
    await tamper(`UPDATE events SET data = (replace(data::text, '"shop"', '"shoq"'))::jsonb WHERE global_position = ${victim}`);
    expect((await sql.query(`SELECT data::text FROM events WHERE global_position = ${victim}`)).rows[0].data).toContain('shoq');
    await expectDetectedAt(victim);
  });

  it('detects a deleted event and names its position', async () => {
    const victim = positions[5]!;
    await tamper(`DELETE FROM events WHERE global_position = ${victim}`);
    await expectDetectedAt(victim);
  });

  it('detects two events whose contents were swapped, naming the first', async () => {
    const [a, b] = [positions[3]!, positions[6]!];
    await tamper(`UPDATE events AS e SET type = o.type, data = o.data, metadata = o.metadata
      FROM events AS o WHERE (e.global_position, o.global_position) IN ((${a}, ${b}), (${b}, ${a}))`);
    await expectDetectedAt(a);
  });

  it('detects two events moved in the commit order, naming the first', async () => {
    const [a, b] = [positions[2]!, positions[7]!];
    await tamper(`UPDATE events AS e SET transaction_id = o.transaction_id
      FROM events AS o WHERE (e.global_position, o.global_position) IN ((${a}, ${b}), (${b}, ${a}))`);
    await expectDetectedAt(a);
  });

  it('rejects a checkpoint checked against another key', async () => {
    const file = join(dataDir, 'export.jsonl');
    writeFileSync(file, (await http.get('/v1/audit/log/export').set(bearer).expect(200)).text);
    const other = exportPublicKeyBase64(generateSigningKeyPair().publicKey);
    const res = await cliRun(['verify', '--export', file, '--public-key', other]);
    expect(res).toMatchObject({ code: 1, out: 'TAMPERED: the checkpoint is not trusted: signed by another key\n' });
  });
});

async function cliRun(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAuditCli(argv, {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
    env: { LOG_LEVEL: 'silent', ...env },
  });
  return { code, out, err };
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the sealer');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
