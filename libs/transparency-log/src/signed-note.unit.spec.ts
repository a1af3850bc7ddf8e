import { createHash } from 'node:crypto';
import { fromBase64, toBase64, toHex } from './encoding.js';
import { formatVerifierKey, noteKeyHash, noteVerifierKey, parseNote, parseVerifierKey, signNote, verifyNote } from './signed-note.js';
import { exportPublicKeyRaw, generateSigningKeyPair, signingKeyFromSeed } from './signing-key.js';

// The signed-note reference example (Go golang.org/x/mod/sumdb/note): key "PeterNeumann".
const SEED = fromBase64('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz').subarray(1);
const VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIGNED =
  TEXT + '\n' + '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

const privateKey = signingKeyFromSeed(SEED);
const verifier = parseVerifierKey(VERIFIER_KEY);

describe('signed notes (c2sp.org/signed-note, Ed25519)', () => {
  it('computes the key hash as SHA-256(name || 0x0A || 0x01 || public key)[:4]', () => {
    const publicKey = exportPublicKeyRaw(privateKey);
    const manual = createHash('sha256')
      .update(Buffer.concat([Buffer.from('PeterNeumann\n'), Buffer.of(0x01), publicKey]))
      .digest()
      .subarray(0, 4);
    expect(toHex(noteKeyHash('PeterNeumann', publicKey))).toBe('c74f20a3');
    expect(toHex(manual)).toBe('c74f20a3');
  });

  it('formats and parses the reference verifier key', () => {
    expect(formatVerifierKey(noteVerifierKey('PeterNeumann', privateKey))).toBe(VERIFIER_KEY);
    expect(toBase64(verifier.publicKey)).toBe(toBase64(exportPublicKeyRaw(privateKey)));
    expect(() => parseVerifierKey(VERIFIER_KEY.replace('c74f20a3', 'c74f20a4'))).toThrow(TypeError);
    expect(() => parseVerifierKey('PeterNeumann+c74f20a3')).toThrow(TypeError);
  });

  it('signs byte-for-byte like the reference (em dash, key hash, signature over the body)', () => {
    const { note, signature } = signNote(TEXT, 'PeterNeumann', privateKey);
    expect(note).toBe(SIGNED);
    expect(note).toContain('\n\n\u2014 PeterNeumann ');
    expect(fromBase64(note.split(' ').at(-1)!.trim()).subarray(4)).toEqual(signature);
  });

  it('parses and verifies the reference note', () => {
    const parsed = parseNote(SIGNED);
    expect(parsed.body).toBe(TEXT);
    expect(parsed.signatures).toHaveLength(1);
    expect(verifyNote(parsed, verifier)?.name).toBe('PeterNeumann');
  });

  it('ignores signatures by unknown keys but rejects a bad one by the trusted key', () => {
    const other = generateSigningKeyPair();
    const otherSigned = signNote(TEXT, 'Other', other.privateKey).note;
    const both = SIGNED + otherSigned.slice(TEXT.length + 1);
    expect(verifyNote(parseNote(both), verifier)).not.toBeNull();
    expect(verifyNote(parseNote(otherSigned), verifier)).toBeNull();
    // Same name and key hash, signature from another key: reject, even next to a good one.
    const forged = signNote(TEXT, 'PeterNeumann', other.privateKey).note.slice(TEXT.length + 1);
    const [, , payload = ''] = forged.trim().split(' ');
    const bytes = fromBase64(payload);
    bytes.set(verifier.keyHash, 0);
    const impostor = `\u2014 PeterNeumann ${toBase64(bytes)}\n`;
    expect(verifyNote(parseNote(TEXT + '\n' + impostor), verifier)).toBeNull();
    expect(verifyNote(parseNote(SIGNED + impostor), verifier)).toBeNull();
  });

  it('rejects an altered body', () => {
    expect(verifyNote(parseNote(SIGNED.replace('problem,', 'problem;')), verifier)).toBeNull();
  });

  it.each([
    ['no signature block', TEXT],
    ['a hyphen instead of the em dash', SIGNED.replace('\u2014', '-')],
    ['a missing final newline', SIGNED.slice(0, -1)],
    ['bad base64', SIGNED.replace('x08go', 'x08g!')],
    ['an extra field', SIGNED.replace('PeterNeumann x08', 'PeterNeumann extra x08')],
    ['a control character', SIGNED.replace('If you', 'If\tyou')],
  ])('refuses to parse a note with %s', (_, text) => {
    expect(() => parseNote(text)).toThrow(SyntaxError);
  });

  it('refuses to sign malformed bodies or under invalid names', () => {
    expect(() => signNote('no newline', 'name', privateKey)).toThrow(TypeError);
    expect(() => signNote(TEXT, 'has space', privateKey)).toThrow(TypeError);
    expect(() => signNote(TEXT, 'has+plus', privateKey)).toThrow(TypeError);
    expect(() => signNote(TEXT, '', privateKey)).toThrow(TypeError);
  });
});
