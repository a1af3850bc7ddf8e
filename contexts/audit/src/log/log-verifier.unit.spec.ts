import { type LeafEvent, leafHashOfEvent } from './canonical-leaf.js';
import {
  type SignedCheckpoint,
  createCheckpoint,
  toBase64,
  toHex,
  MerkleTree,
  exportPublicKeyRaw,
  generateSigningKeyPair,
} from '#transparency-log';
import { AUDIT_LOG_EXPORT_FORMAT, verifyExportLines } from './log-export.js';
import { LogVerifier } from './log-verifier.js';

const makeEvent = (i: number): LeafEvent => ({
  position: 100 + i * 3,
  eventId: `evt-${i}`,
  streamId: `approval-${i % 4}`,
  streamVersion: Math.floor(i / 4) + 1,
  type: i % 2 === 0 ? 'ApprovalRequested' : 'ApprovalGranted',
  data: { approvalId: `a-${i % 4}`, step: i },
  metadata: { actor: `user-${i % 3}`, correlationId: `c-${i}`, occurredAt: '2025-01-01T00:00:00.000Z' },
  recordedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
});

const SIZE = 50;
const events = Array.from({ length: SIZE }, (_, i) => makeEvent(i));
const sealed = new MerkleTree();
const storedLeafHashes = events.map((event) => leafHashOfEvent(event));
sealed.appendAll(storedLeafHashes);
const keys = generateSigningKeyPair();
const publicKey = toBase64(exportPublicKeyRaw(keys.publicKey));
const checkpoint = createCheckpoint(
  { origin: 'ledger.example/audit', treeSize: SIZE, rootHash: sealed.root(), timestamp: new Date() },
  keys.privateKey,
);

const modified = events.map((e, i) => (i === 17 ? { ...e, data: { ...e.data, step: 999 } } : e));
const deleted = events.filter((_, i) => i !== 23);
const swapped = events.map((e, i) => (i === 30 ? events[31]! : i === 31 ? events[30]! : e));
const inserted = [...events.slice(0, 9), makeEvent(500), ...events.slice(9)];

/** LogVerifier under the (trusted) checkpoint, fed in log order, each event with its recorded leaf hash if given. */
function verifyEvents(log: Iterable<LeafEvent>, leafHashes?: readonly Uint8Array[]) {
  const verifier = new LogVerifier(checkpoint);
  let index = 0;
  for (const event of log) {
    if (verifier.complete) break;
    verifier.add(event, leafHashes?.[index]);
    index++;
  }
  return verifier.result();
}

/** An export of `log` under `signed`: each entry beside the leaf sealed at its place. */
function* exportLines(signed: SignedCheckpoint, log: readonly LeafEvent[], read: LeafEvent[] = []): Generator<string> {
  yield JSON.stringify({ format: AUDIT_LOG_EXPORT_FORMAT, checkpoint: signed });
  for (const [leafIndex, event] of log.entries()) {
    read.push(event);
    const sealedEvent = events[leafIndex]!;
    yield JSON.stringify({
      leafIndex,
      leaf: { position: sealedEvent.position, eventId: sealedEvent.eventId, leafHash: toHex(storedLeafHashes[leafIndex]!) },
      event,
    });
  }
}

describe('LogVerifier under a trusted checkpoint', () => {
  it('accepts the sealed log and reports the recomputed root', () => {
    expect(verifyEvents(events)).toEqual({
      ok: true,
      checkedEvents: SIZE,
      treeSize: SIZE,
      computedRoot: checkpoint.rootHash,
      firstMismatchIndex: null,
      firstMismatchPosition: null,
      problem: null,
    });
    expect(verifyEvents(events, storedLeafHashes).ok).toBe(true);
  });

  it('ignores events appended after the checkpoint', () => {
    const result = verifyEvents([...events, makeEvent(SIZE)], storedLeafHashes);
    expect(result).toMatchObject({ ok: true, checkedEvents: SIZE });
  });

  it.each([
    ['modified', modified, 17, 100 + 17 * 3],
    ['deleted', deleted, 23, 100 + 24 * 3],
    ['swapped', swapped, 30, 100 + 31 * 3],
    ['inserted', inserted, 9, 100 + 500 * 3],
  ])('names the first bad index of a %s entry when leaf hashes were recorded', (_, log, index, position) => {
    expect(verifyEvents(log, storedLeafHashes)).toMatchObject({
      ok: false,
      problem: 'leaf-mismatch',
      firstMismatchIndex: index,
      firstMismatchPosition: position,
    });
  });

  it.each([
    ['modified', modified],
    ['swapped', swapped],
    ['inserted', inserted],
  ])('detects a %s entry from the signed root alone', (_, log) => {
    expect(verifyEvents(log)).toMatchObject({
      ok: false,
      problem: 'root-mismatch',
      checkedEvents: SIZE,
      firstMismatchIndex: null,
    });
  });

  it('detects deleted entries: located with recorded hashes when at the end, counted otherwise', () => {
    expect(verifyEvents(deleted)).toMatchObject({
      ok: false,
      problem: 'missing-events',
      checkedEvents: SIZE - 1,
      firstMismatchIndex: null,
    });
    expect(verifyEvents(events.slice(0, 40), storedLeafHashes)).toMatchObject({
      ok: false,
      problem: 'missing-events',
      firstMismatchIndex: 40,
      firstMismatchPosition: null,
    });
  });

  it('detects recorded leaf hashes that were rewritten along with the entry', () => {
    const forgedHashes = storedLeafHashes.map((h, i) => (i === 17 ? leafHashOfEvent(modified[17]!) : h));
    expect(verifyEvents(modified, forgedHashes)).toMatchObject({
      ok: false,
      problem: 'root-mismatch',
    });
  });

  it('tells altered recorded hashes apart from altered events', () => {
    const altered = storedLeafHashes.map((h, i) => (i === 12 ? leafHashOfEvent(makeEvent(999)) : h));
    expect(verifyEvents(events, altered)).toMatchObject({
      ok: false,
      problem: 'stored-hash-mismatch',
      firstMismatchIndex: 12,
    });
  });

  it('reports an entry that cannot be canonicalised as the first bad one', () => {
    const broken = events.map((e, i) => (i === 5 ? { ...e, data: { n: Number.NaN } } : e));
    expect(verifyEvents(broken)).toMatchObject({ ok: false, problem: 'leaf-mismatch', firstMismatchIndex: 5 });
    const garbage = events.map((e, i) => (i === 6 ? (null as unknown as LeafEvent) : e));
    expect(verifyEvents(garbage)).toMatchObject({
      problem: 'leaf-mismatch',
      firstMismatchIndex: 6,
      firstMismatchPosition: null,
    });
  });
});

describe('the offline verifier (verifyExportLines), as LogVerifier runs in production', () => {
  it('refuses a checkpoint that the trusted key did not sign, before reading any event', async () => {
    const other = generateSigningKeyPair();
    const forged = createCheckpoint(
      { origin: 'ledger.example/audit', treeSize: SIZE, rootHash: sealed.root(), timestamp: new Date() },
      other.privateKey,
    );
    const read: LeafEvent[] = [];
    expect(await verifyExportLines(exportLines(forged, events, read), { publicKey })).toMatchObject({
      ok: false,
      problem: 'checkpoint-invalid',
      checkedEvents: 0,
    });
    expect(read).toHaveLength(0);
    expect((await verifyExportLines(exportLines({ ...checkpoint, treeSize: 49 }, events), { publicKey })).problem).toBe(
      'checkpoint-invalid',
    );
    expect((await verifyExportLines(exportLines(checkpoint, events), { publicKey, origin: 'other' })).problem).toBe('checkpoint-invalid');
    expect(await verifyExportLines(exportLines(checkpoint, events), { publicKey, origin: 'ledger.example/audit' })).toMatchObject({
      ok: true,
      checkedEvents: SIZE,
    });
  });

  it('verifies from an async source too', async () => {
    async function* source(): AsyncGenerator<string> {
      for (const line of exportLines(checkpoint, swapped)) yield line;
    }
    await expect(verifyExportLines(source(), { publicKey })).resolves.toMatchObject({
      ok: false,
      firstMismatchLeafIndex: 30,
    });
    await expect(verifyExportLines(exportLines(checkpoint, events), { publicKey })).resolves.toMatchObject({ ok: true });
  });
});

describe('LogVerifier', () => {
  it('takes per-event recorded hashes and stops at the tree size', () => {
    const verifier = new LogVerifier({ treeSize: 3, rootHash: toHex(sealed.rootAt(3)) });
    events.slice(0, 3).forEach((e, i) => verifier.add(e, storedLeafHashes[i]));
    expect(verifier.complete).toBe(true);
    verifier.add(modified[17]!, storedLeafHashes[0]);
    expect(verifier.result()).toMatchObject({ ok: true, checkedEvents: 3 });
  });

  it('verifies an empty log', () => {
    expect(new LogVerifier({ treeSize: 0, rootHash: new MerkleTree().root() }).result().ok).toBe(true);
  });
});
