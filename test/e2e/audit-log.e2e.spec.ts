import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '#kernel';
import { START } from '#kernel';
import type { LeafEvent } from '../../contexts/audit/src/log/index.js';
import type { SignedCheckpoint } from '#transparency-log';
import { EVENT_STORE, loadConfig } from '#platform';
import { SIGNING_KEY_FILE, leafHashOfEvent } from '../../contexts/audit/src/log/index.js';
import {
  exportPublicKeyBase64,
  fromHex,
  generateSigningKeyPair,
  importSigningKey,
  toHex,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '#transparency-log';
import { AuditLogModule } from '../../contexts/audit/src/index.js';
import { runAuditCli } from '../../contexts/audit/src/cli/audit-cli.js';
import { ADMIN_TOKEN, bearer, startStandalone } from './standalone-harness.js';

type Running = Awaited<ReturnType<typeof startStandalone>>;

const ORIGIN = 'compliance-ledger/audit-log';
const hashes = (hex: readonly string[]) => hex.map(fromHex);

/** Everything appended so far is sealed (the sealer runs in-process, behind the appends). */
async function sealedUpToNow(s: Running): Promise<number> {
  const store = s.app.get<EventStore>(EVENT_STORE, { strict: false });
  let count = 0;
  for (
    let batch = await store.readAll(START, { limit: 1000 });
    batch.length > 0;
    batch = await store.readAll(batch[batch.length - 1]!.cursor, { limit: 1000 })
  ) {
    count += batch.length;
  }
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await s.http.get('/v1/audit/log/checkpoint').set(bearer(ADMIN_TOKEN));
    if (res.status === 200 && (res.body as SignedCheckpoint).treeSize >= count) return count;
    if (Date.now() > deadline) throw new Error(`the log did not reach ${count} events in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function tokenFor(s: Running, id: string, role: string, project = 'payments'): Promise<string> {
  await s.http.post('/v1/principals').set(bearer(ADMIN_TOKEN)).send({ id, kind: 'user', displayName: id }).expect(201);
  await s.http
    .post('/v1/role-grants')
    .set(bearer(ADMIN_TOKEN))
    .send({ principalId: id, role, project, reason: 'audit-log e2e' })
    .expect(201);
  return (await s.http.post(`/v1/principals/${id}/tokens`).set(bearer(ADMIN_TOKEN)).send({}).expect(201)).body.token as string;
}

function parseExport(text: string): { checkpoint: SignedCheckpoint; entries: { leafIndex: number; event: LeafEvent }[] } {
  const [header, ...lines] = text.trim().split('\n');
  return {
    checkpoint: (JSON.parse(header!) as { checkpoint: SignedCheckpoint }).checkpoint,
    entries: lines.map((l) => JSON.parse(l) as { leafIndex: number; event: LeafEvent }),
  };
}

describe('audit log over HTTP (standalone, embedded store)', () => {
  let s: Running;
  let auditor: string;
  let developer: string;
  let publicKey: string;

  beforeAll(async () => {
    s = await startStandalone();
    await s.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send({ id: 'payments', name: 'Payments' }).expect(201);
    auditor = await tokenFor(s, 'olga', 'auditor');
    developer = await tokenFor(s, 'dave', 'developer');
    await sealedUpToNow(s);
    publicKey = (await s.http.get('/v1/audit/log/public-key').set(bearer(developer)).expect(200)).body.publicKey as string;
  });
  afterAll(async () => s?.stop());

  it('serves a checkpoint signed by the served key, with the key kept in DATA_DIR (mode 0600)', async () => {
    const res = await s.http.get('/v1/audit/log/checkpoint').set(bearer(developer)).expect(200);
    const checkpoint = res.body as SignedCheckpoint;
    expect(Object.keys(checkpoint).sort()).toEqual(['note', 'publicKey', 'rootHash', 'signature', 'timestamp', 'treeSize']);
    expect(checkpoint.publicKey).toBe(publicKey);
    expect(verifyCheckpoint(checkpoint, publicKey, { origin: ORIGIN })).toMatchObject({ ok: true, treeSize: checkpoint.treeSize });
    expect(checkpoint.note.startsWith(`${ORIGIN}\n${checkpoint.treeSize}\n`)).toBe(true);
    const keyFile = join(s.dataDir, SIGNING_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(exportPublicKeyBase64(importSigningKey(readFileSync(keyFile, 'utf8')))).toBe(publicKey);
    const health = await s.http.get('/health').expect(200);
    expect(health.body.checks.auditLog).toMatchObject({ status: 'up', sealer: 'sealing' });
  });

  it('proves an event included in the signed tree, checked client-side from the event itself', async () => {
    const exported = await s.http.get('/v1/audit/log/export').set(bearer(auditor)).expect(200);
    expect(exported.headers['content-type']).toMatch(/application\/x-ndjson/);
    const { checkpoint, entries } = parseExport(exported.text);
    expect(entries).toHaveLength(checkpoint.treeSize);
    const root = fromHex(checkpoint.rootHash);
    for (const { leafIndex, event } of [entries[0]!, entries[Math.floor(entries.length / 2)]!, entries[entries.length - 1]!]) {
      const leafHash = leafHashOfEvent(event);
      const byPosition = await s.http
        .get(`/v1/audit/log/proofs/inclusion?position=${event.position}&treeSize=${checkpoint.treeSize}`)
        .set(bearer(auditor))
        .expect(200);
      expect(byPosition.body).toMatchObject({
        leafIndex,
        treeSize: checkpoint.treeSize,
        leafHash: toHex(leafHash),
        position: event.position,
        eventId: event.eventId,
      });
      expect(verifyInclusion(leafHash, leafIndex, checkpoint.treeSize, hashes(byPosition.body.hashes), root)).toBe(true);
      // A proof for another leaf, or against another root, does not pass.
      expect(verifyInclusion(leafHash, leafIndex, checkpoint.treeSize, hashes(byPosition.body.hashes), fromHex('00'.repeat(32)))).toBe(
        false,
      );
      const byId = await s.http.get(`/v1/audit/log/proofs/inclusion?eventId=${event.eventId}`).set(bearer(auditor)).expect(200);
      expect(byId.body).toEqual(byPosition.body);
    }
    // Against an older, smaller tree the proof is different and checks against that tree's root.
    const first = entries[0]!;
    const small = await s.http
      .get(`/v1/audit/log/proofs/inclusion?position=${first.event.position}&treeSize=2`)
      .set(bearer(auditor))
      .expect(200);
    const smallRoot = twoLeafRoot(entries.slice(0, 2).map((e) => e.event));
    expect(verifyInclusion(leafHashOfEvent(first.event), 0, 2, hashes(small.body.hashes), smallRoot)).toBe(true);
  });

  it('proves an older checkpoint consistent with a newer one', async () => {
    const before = (await s.http.get('/v1/audit/log/checkpoint').set(bearer(auditor)).expect(200)).body as SignedCheckpoint;
    await tokenFor(s, 'carol', 'compliance-officer');
    await s.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send({ id: 'shop', name: 'Shop' }).expect(201);
    await sealedUpToNow(s);
    const after = (await s.http.get('/v1/audit/log/checkpoint').set(bearer(auditor)).expect(200)).body as SignedCheckpoint;
    expect(after.treeSize).toBeGreaterThan(before.treeSize);
    expect(verifyCheckpoint(after, publicKey, { origin: ORIGIN }).ok).toBe(true);
    const res = await s.http
      .get(`/v1/audit/log/proofs/consistency?from=${before.treeSize}&to=${after.treeSize}`)
      .set(bearer(auditor))
      .expect(200);
    expect(res.body).toMatchObject({ from: before.treeSize, to: after.treeSize });
    expect(
      verifyConsistency(before.treeSize, after.treeSize, hashes(res.body.hashes), fromHex(before.rootHash), fromHex(after.rootHash)),
    ).toBe(true);
    expect(
      verifyConsistency(before.treeSize, after.treeSize, hashes(res.body.hashes), fromHex(after.rootHash), fromHex(after.rootHash)),
    ).toBe(false);
  });

  it('verifies the whole store against the log', async () => {
    const treeSize = await sealedUpToNow(s);
    const res = await s.http.post('/v1/audit/verify').set(bearer(auditor)).expect(200);
    expect(res.body).toMatchObject({ ok: true, checkedEvents: treeSize, treeSize, firstMismatchPosition: null, problem: null });
  });

  it('lets only compliance roles read proofs, verify and export: 403 naming the rule for a developer, 401 without a token', async () => {
    const paths = [
      ['get', '/v1/audit/log/proofs/inclusion?position=1'],
      ['get', '/v1/audit/log/proofs/consistency?from=1&to=2'],
      ['get', '/v1/audit/log/export'],
      ['post', '/v1/audit/verify'],
    ] as const;
    for (const [method, path] of paths) {
      const refused = await s.http[method](path).set(bearer(developer)).expect(403);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(typeof refused.body.rule).toBe('string');
      await s.http[method](path).expect(401);
    }
    await s.http.get('/v1/audit/log/checkpoint').expect(401);
    const officer = (await s.http.post('/v1/principals/carol/tokens').set(bearer(ADMIN_TOKEN)).send({}).expect(201)).body.token as string;
    await s.http.get('/v1/audit/log/proofs/consistency?from=1&to=2').set(bearer(officer)).expect(200);
    await s.http.post('/v1/audit/verify').set(bearer(ADMIN_TOKEN)).expect(200);
  });

  it('answers 400 with pointers for bad parameters and 404 for an event not sealed', async () => {
    const size = ((await s.http.get('/v1/audit/log/checkpoint').set(bearer(auditor))).body as SignedCheckpoint).treeSize;
    const cases: [string, string][] = [
      ['/v1/audit/log/proofs/inclusion?position=abc', '/position'],
      ['/v1/audit/log/proofs/inclusion?position=-1', '/position'],
      ['/v1/audit/log/proofs/inclusion?position=1.5', '/position'],
      ['/v1/audit/log/proofs/inclusion', '/position'],
      ['/v1/audit/log/proofs/inclusion?position=1&eventId=x', '/position'],
      ['/v1/audit/log/proofs/inclusion?position=1&colour=red', '/colour'],
      [`/v1/audit/log/proofs/inclusion?position=1&treeSize=${size + 1000}`, '/treeSize'],
      ['/v1/audit/log/proofs/consistency?from=5&to=2', '/from'],
      ['/v1/audit/log/proofs/consistency?from=1', '/to'],
      [`/v1/audit/log/proofs/consistency?from=1&to=${size + 1000}`, '/to'],
    ];
    for (const [path, pointer] of cases) {
      const res = await s.http.get(path).set(bearer(auditor));
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    }
    const missing = await s.http.get('/v1/audit/log/proofs/inclusion?position=987654321').set(bearer(auditor)).expect(404);
    expect(missing.body.detail).toMatch(/not sealed yet/);
    await s.http.get('/v1/audit/log/proofs/inclusion?eventId=no-such-event').set(bearer(auditor)).expect(404);
  });

  it('documents the endpoints in OpenAPI', async () => {
    const doc = (await s.http.get('/docs-json').expect(200)).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/audit/log/checkpoint',
        '/v1/audit/log/public-key',
        '/v1/audit/log/proofs/inclusion',
        '/v1/audit/log/proofs/consistency',
        '/v1/audit/log/export',
        '/v1/audit/verify',
      ]),
    );
  });

  it('exports a log the offline verifier accepts with the pinned key and refuses with another', async () => {
    const exported = await s.http.get('/v1/audit/log/export').set(bearer(auditor)).expect(200);
    const file = join(s.dataDir, 'export.jsonl');
    writeFileSync(file, exported.text);
    const out: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) > 0 }, stderr: { write: (t: string) => out.push(t) > 0 }, env: {} };
    expect(await runAuditCli(['verify', '--export', file, '--public-key', publicKey], io)).toBe(0);
    expect(out.join('')).toMatch(/^ok: \d+ events match/);
    const otherKey = generateSigningKeyPair();
    expect(await runAuditCli(['verify', '--export', file, '--public-key', exportPublicKeyBase64(otherKey.publicKey)], io)).toBe(1);
    expect(out.join('')).toMatch(/TAMPERED: the checkpoint is not trusted: signed by another key/);
  });
});

describe('audit log across a restart (standalone, embedded store)', () => {
  it('keeps its key, rebuilds the tree from the stored leaves, goes on sealing consistently, and exports offline', async () => {
    let s = await startStandalone();
    const dataDir = s.dataDir;
    try {
      await s.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send({ id: 'payments', name: 'Payments' }).expect(201);
      await sealedUpToNow(s);
      const before = (await s.http.get('/v1/audit/log/checkpoint').set(bearer(ADMIN_TOKEN)).expect(200)).body as SignedCheckpoint;
      await s.stop(true);

      s = await startStandalone({ DATA_DIR: dataDir });
      await s.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send({ id: 'shop', name: 'Shop' }).expect(201);
      await sealedUpToNow(s);
      const after = (await s.http.get('/v1/audit/log/checkpoint').set(bearer(ADMIN_TOKEN)).expect(200)).body as SignedCheckpoint;
      expect(after.publicKey).toBe(before.publicKey);
      expect(after.treeSize).toBeGreaterThan(before.treeSize);
      const proof = await s.http
        .get(`/v1/audit/log/proofs/consistency?from=${before.treeSize}&to=${after.treeSize}`)
        .set(bearer(ADMIN_TOKEN))
        .expect(200);
      expect(
        verifyConsistency(before.treeSize, after.treeSize, hashes(proof.body.hashes), fromHex(before.rootHash), fromHex(after.rootHash)),
      ).toBe(true);
      await s.http
        .post('/v1/audit/verify')
        .set(bearer(ADMIN_TOKEN))
        .expect(200)
        .expect((res) => expect(res.body.ok).toBe(true));
      await s.stop(true);

      // The CLI reads the stopped app's embedded store directly.
      const file = join(dataDir, 'offline-export.jsonl');
      const err: string[] = [];
      const io = {
        stdout: { write: () => true },
        stderr: { write: (t: string) => err.push(t) > 0 },
        env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      };
      expect(await runAuditCli(['export', '--out', file], io)).toBe(0);
      expect(err.join('')).toMatch(new RegExp(`exported ${after.treeSize} events`));
      expect(await runAuditCli(['verify', '--export', file, '--public-key', after.publicKey], io)).toBe(0);
    } finally {
      await s.stop();
    }
  }, 120_000); // two app starts and a CLI that opens the store: slow on a busy 2-core machine
});

describe('audit log module wiring', () => {
  it('stops the production app from starting without AUDIT_SIGNING_KEY', async () => {
    expect(() =>
      AuditLogModule.forRoot({
        settings: { signingKey: null, origin: 'example.com/log' },
        config: loadConfig({ DATA_DIR: '/nonexistent' }),
        runSealer: true,
        missingKey: 'refuse',
      }),
    ).toThrow(/AUDIT_SIGNING_KEY is required/);
  });
});

/** Root of a two-leaf tree computed client-side, independently of the server's tree code: SHA-256(0x01 || left || right). */
function twoLeafRoot(events: readonly LeafEvent[]): Uint8Array {
  const [left, right] = [leafHashOfEvent(events[0]!), leafHashOfEvent(events[1]!)];
  return new Uint8Array(createHash('sha256').update(Uint8Array.of(1)).update(left).update(right).digest());
}
