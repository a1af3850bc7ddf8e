import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LeafEvent, leafHashOfEvent } from '../log/canonical-leaf.js';
import {
  createCheckpoint,
  toHex,
  MerkleTree,
  formatVerifierKey,
  noteVerifierKey,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  importPublicKey,
  importSigningKey,
} from '#transparency-log';
import { AUDIT_LOG_EXPORT_FORMAT } from '../log/log-export.js';
import { EXIT_OK, EXIT_TAMPERED, EXIT_USAGE, runAuditCli } from './audit-cli.js';

const ORIGIN = 'test.compliance-ledger/audit';
const keys = generateSigningKeyPair();
const publicKey = exportPublicKeyBase64(keys.publicKey);

const event = (i: number): LeafEvent => ({
  position: 100 + i,
  eventId: `evt-${i}`,
  streamId: `artifact-${i % 3}`,
  streamVersion: Math.floor(i / 3) + 1,
  type: 'GateDecided',
  data: { gate: 'deployment', allowed: i % 2 === 0, note: 'ünïcödé ✓' },
  metadata: { actor: 'ci', correlationId: `c-${i}`, occurredAt: '2026-01-01T00:00:00.000Z' },
  recordedAt: '2026-01-01T00:00:00.123Z',
});

/** An export file as the server writes it (format v1), for `count` events. */
function exportLines(count: number, signer = keys.privateKey): string[] {
  const events = Array.from({ length: count }, (_, i) => event(i));
  const tree = new MerkleTree();
  events.forEach((e) => tree.append(leafHashOfEvent(e)));
  const checkpoint = createCheckpoint(
    { origin: ORIGIN, treeSize: count, rootHash: tree.root(), timestamp: '2026-01-02T00:00:00Z' },
    signer,
  );
  return [
    JSON.stringify({ format: AUDIT_LOG_EXPORT_FORMAT, checkpoint }),
    ...events.map((e, i) =>
      JSON.stringify({ leafIndex: i, leaf: { position: e.position, eventId: e.eventId, leafHash: toHex(tree.leafHash(i)) }, event: e }),
    ),
  ];
}

describe('compliance-ledger CLI (in-process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let fileNo = 0;
  const file = (lines: readonly string[]): string => {
    const path = join(dir, `export-${fileNo++}.jsonl`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runAuditCli(argv, {
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: (s: string) => ((err += s), true) },
      env: {},
    });
    return { code, out, err };
  }

  it('verifies an intact export against the pinned key: exit 0, one line', async () => {
    const res = await run('verify', '--export', file(exportLines(25)), '--public-key', publicKey);
    expect(res).toMatchObject({ code: EXIT_OK, err: '' });
    expect(res.out).toBe('ok: 25 events match the signed checkpoint at tree size 25\n');
  });

  it('accepts the C2SP verifier key too, and warns when no key is pinned', async () => {
    const path = file(exportLines(3));
    expect((await run('verify', '--export', path, '--public-key', formatVerifierKey(noteVerifierKey(ORIGIN, keys.publicKey)))).code).toBe(
      EXIT_OK,
    );
    const unpinned = await run('verify', '--export', path);
    expect(unpinned.code).toBe(EXIT_OK);
    expect(unpinned.out).toMatch(/pass --public-key to pin it/);
  });

  it('exits 1 naming the first bad position when one byte of one event changed', async () => {
    const lines = exportLines(25);
    lines[8] = lines[8]!.replace('"allowed":false', '"allowed":true');
    const res = await run('verify', '--export', file(lines), '--public-key', publicKey);
    expect(res.code).toBe(EXIT_TAMPERED);
    expect(res.out).toBe(
      `TAMPERED: first bad event at position ${event(7).position} (leaf 7): the event there is not the one sealed (modified, deleted, inserted or reordered)\n`,
    );
  });

  it('exits 1 naming a deleted event, and a reordering at its first place', async () => {
    const events = exportLines(10)
      .slice(1)
      .map((line) => JSON.parse(line) as { leafIndex: number; leaf: unknown; event: LeafEvent | null });
    // What an export of a store with event 4 deleted looks like: the later events move up one leaf.
    const deleted = events.map((entry, i) => ({ ...entry, event: i < 4 ? entry.event : (events[i + 1]?.event ?? null) }));
    const header = exportLines(10)[0]!;
    const res = await run('verify', '--export', file([header, ...deleted.map((e) => JSON.stringify(e))]), '--public-key', publicKey);
    expect(res.code).toBe(EXIT_TAMPERED);
    expect(res.out).toContain(`position ${event(4).position} (leaf 4)`);
    const swapped = events.map((entry, i) => ({ ...entry, event: i === 2 ? events[5]!.event : i === 5 ? events[2]!.event : entry.event }));
    const res2 = await run('verify', '--export', file([header, ...swapped.map((e) => JSON.stringify(e))]), '--public-key', publicKey);
    expect(res2.code).toBe(EXIT_TAMPERED);
    expect(res2.out).toContain('(leaf 2)');
  });

  it('exits 1 for a checkpoint signed by another key, even if the file is otherwise consistent', async () => {
    const other = generateSigningKeyPair();
    const res = await run('verify', '--export', file(exportLines(5, other.privateKey)), '--public-key', publicKey);
    expect(res.code).toBe(EXIT_TAMPERED);
    expect(res.out).toBe('TAMPERED: the checkpoint is not trusted: signed by another key\n');
  });

  it('exits 1 for a truncated or malformed export', async () => {
    const lines = exportLines(6);
    expect((await run('verify', '--export', file(lines.slice(0, 5)), '--public-key', publicKey)).out).toMatch(
      /only 4 of 6 sealed events are present/,
    );
    const garbled = [...lines];
    garbled[3] = '{"leafIndex": 2, "leaf": null, "event": ';
    const res = await run('verify', '--export', file(garbled), '--public-key', publicKey);
    expect(res.code).toBe(EXIT_TAMPERED);
    expect(res.out).toMatch(/malformed at leaf 2: the line is not JSON/);
    expect((await run('verify', '--export', file([...lines, lines[1]!]), '--public-key', publicKey)).out).toMatch(/more entries than/);
  });

  it('prints the full result as JSON on request', async () => {
    const res = await run('verify', '--export', file(exportLines(4)), '--public-key', publicKey, '--json');
    expect(JSON.parse(res.out)).toMatchObject({ ok: true, checkedEvents: 4, treeSize: 4, firstMismatchPosition: null, keySource: 'given' });
  });

  it('exits 2 on usage errors and unreadable files', async () => {
    expect((await run()).code).toBe(EXIT_USAGE);
    expect((await run('frobnicate')).code).toBe(EXIT_USAGE);
    expect((await run('verify')).err).toMatch(/--export FILE is required/);
    expect((await run('verify', '--export', file(exportLines(1)), '--bogus')).code).toBe(EXIT_USAGE);
    const missing = await run('verify', '--export', join(dir, 'nope.jsonl'));
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.err).toMatch(/cannot read/);
  });

  it('keygen prints a usable AUDIT_SIGNING_KEY and its public and verifier keys', async () => {
    const res = await run('keygen');
    expect(res.code).toBe(EXIT_OK);
    const seed = /^AUDIT_SIGNING_KEY=(\S+)$/m.exec(res.out)![1]!;
    const printedPublic = /^# public key: (\S+)$/m.exec(res.out)![1]!;
    expect(exportPublicKeyBase64(importSigningKey(seed))).toBe(printedPublic);
    expect(() => importPublicKey(printedPublic)).not.toThrow();
    expect(res.out).toMatch(/^# verifier key \(origin compliance-ledger\/audit-log\): compliance-ledger\/audit-log\+[0-9a-f]{8}\+/m);
  });
});
