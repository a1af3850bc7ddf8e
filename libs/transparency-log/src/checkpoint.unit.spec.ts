import { createHash, verify } from 'node:crypto';
import { checkpointBody, createCheckpoint, parseCheckpointBody, verifyCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { fromBase64, toBase64, toHex } from './encoding.js';
import { emptyRoot } from './merkle-hash.js';
import { MerkleTree } from './merkle-tree.js';
import { formatVerifierKey, noteVerifierKey } from './signed-note.js';
import { exportPublicKeyRaw, generateSigningKeyPair, importPublicKey } from './signing-key.js';

const ORIGIN = 'ledger.example.com/audit';
const keys = generateSigningKeyPair();
const tree = new MerkleTree();
for (let i = 0; i < 5; i++) tree.appendData(`event ${i}`);
const rootHash = tree.root();
const checkpoint = createCheckpoint(
  { origin: ORIGIN, treeSize: 5, rootHash, timestamp: new Date('2025-03-04T05:06:07.089Z') },
  keys.privateKey,
);
const trusted = exportPublicKeyRaw(keys.publicKey);

const withFlippedSignatureByte = (note: string): string => {
  const cut = note.lastIndexOf(' ') + 1;
  const payload = fromBase64(note.slice(cut, -1));
  payload[10] = (payload[10] ?? 0) ^ 0x01;
  return `${note.slice(0, cut)}${toBase64(payload)}\n`;
};

describe('checkpoints (c2sp.org/tlog-checkpoint)', () => {
  it('has the API contract shape', () => {
    expect(checkpoint).toEqual({
      treeSize: 5,
      rootHash: toHex(rootHash),
      timestamp: '2025-03-04T05:06:07.089Z',
      signature: expect.any(String),
      publicKey: toBase64(trusted),
      note: expect.any(String),
    });
    expect(fromBase64(checkpoint.signature)).toHaveLength(64);
  });

  it('writes the note exactly: origin, size, base64 root, timestamp extension, blank line, em-dash signature', () => {
    const keyHash = createHash('sha256')
      .update(Buffer.concat([Buffer.from(`${ORIGIN}\n`), Buffer.of(0x01), trusted]))
      .digest()
      .subarray(0, 4);
    const body = `${ORIGIN}\n5\n${toBase64(rootHash)}\ntimestamp 2025-03-04T05:06:07.089Z\n`;
    const line = `\u2014 ${ORIGIN} ${toBase64(Buffer.concat([keyHash, fromBase64(checkpoint.signature)]))}\n`;
    expect(checkpoint.note).toBe(`${body}\n${line}`);
    expect(verify(null, Buffer.from(body), keys.publicKey, fromBase64(checkpoint.signature))).toBe(true);
  });

  it('round-trips through verifyCheckpoint with a KeyObject, raw bytes, base64 or a verifier key', () => {
    const expected = { ok: true, origin: ORIGIN, treeSize: 5, rootHash, timestamp: '2025-03-04T05:06:07.089Z' };
    expect(verifyCheckpoint(checkpoint, trusted)).toEqual(expected);
    expect(verifyCheckpoint(checkpoint, keys.publicKey)).toEqual(expected);
    expect(verifyCheckpoint(checkpoint, toBase64(trusted))).toEqual(expected);
    expect(verifyCheckpoint(checkpoint, formatVerifierKey(noteVerifierKey(ORIGIN, trusted)))).toEqual(expected);
    expect(verifyCheckpoint(checkpoint, trusted, { origin: ORIGIN }).ok).toBe(true);
  });

  it('rejects a checkpoint signed by another key', () => {
    const other = generateSigningKeyPair();
    const forged = createCheckpoint({ origin: ORIGIN, treeSize: 5, rootHash, timestamp: checkpoint.timestamp }, other.privateKey);
    expect(verifyCheckpoint(forged, trusted).ok).toBe(false);
    // Even if it claims the trusted public key.
    expect(verifyCheckpoint({ ...forged, publicKey: toBase64(trusted) }, trusted).ok).toBe(false);
    expect(verifyCheckpoint(checkpoint, importPublicKey(exportPublicKeyRaw(other.publicKey))).ok).toBe(false);
  });

  const altered: [string, SignedCheckpoint][] = [
    ['tree size', { ...checkpoint, treeSize: 6 }],
    ['root hash', { ...checkpoint, rootHash: toHex(emptyRoot()) }],
    ['timestamp', { ...checkpoint, timestamp: '2025-03-04T05:06:08.089Z' }],
    ['signature field', { ...checkpoint, signature: toBase64(new Uint8Array(64)) }],
    ['note size', { ...checkpoint, note: checkpoint.note.replace('\n5\n', '\n6\n') }],
    ['note time', { ...checkpoint, note: checkpoint.note.replace('05:06:07', '05:06:08') }],
    ['note origin', { ...checkpoint, note: checkpoint.note.replace(`${ORIGIN}\n`, 'other.example\n') }],
    ['signature line', { ...checkpoint, note: withFlippedSignatureByte(checkpoint.note) }],
    ['note with an extra body line', { ...checkpoint, note: checkpoint.note.replace('\n\n', '\nextra\n\n') }],
    ['note without signatures', { ...checkpoint, note: checkpoint.note.slice(0, checkpoint.note.indexOf('\n\n') + 1) }],
  ];
  it.each(altered)('rejects an altered %s', (_, tampered) => {
    const result = verifyCheckpoint(tampered, trusted);
    expect(result.ok).toBe(false);
    expect(result).toHaveProperty('reason');
  });

  it('rejects an unexpected origin', () => {
    expect(verifyCheckpoint(checkpoint, trusted, { origin: 'elsewhere' })).toEqual({ ok: false, reason: 'unexpected origin' });
  });

  it('keeps RFC 3339 strings verbatim and checks its inputs', () => {
    const input = { origin: ORIGIN, treeSize: 0, rootHash: emptyRoot(), timestamp: '2025-03-04T07:06:07+02:00' };
    const body = checkpointBody(input);
    expect(body).toBe(`${ORIGIN}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\ntimestamp 2025-03-04T07:06:07+02:00\n`);
    expect(parseCheckpointBody(body)).toEqual({ origin: ORIGIN, treeSize: 0, rootHash: emptyRoot(), timestamp: input.timestamp });
    expect(() => checkpointBody({ ...input, timestamp: 'yesterday' })).toThrow(TypeError);
    expect(() => checkpointBody({ ...input, timestamp: new Date(Number.NaN) })).toThrow(TypeError);
    expect(() => checkpointBody({ ...input, treeSize: -1 })).toThrow(TypeError);
    expect(() => checkpointBody({ ...input, rootHash: 'abcd' })).toThrow(TypeError);
    expect(() => checkpointBody({ ...input, origin: 'two words' })).toThrow(TypeError);
    expect(() => parseCheckpointBody(body.replace('\n0\n', '\n00\n'))).toThrow(SyntaxError);
  });
});
