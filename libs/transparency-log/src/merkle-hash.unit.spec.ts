import { createHash, randomBytes } from 'node:crypto';
import { toHex } from './encoding.js';
import { emptyRoot, leafHashOf, nodeHashOf } from './merkle-hash.js';

const sha256 = (...parts: Uint8Array[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

describe('RFC 6962 hashing', () => {
  it('hashes the empty tree as SHA-256 of nothing', () => {
    expect(toHex(emptyRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('prefixes leaves with 0x00 (reference vector: the empty leaf)', () => {
    expect(toHex(leafHashOf(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  });

  it('prefixes interior nodes with 0x01', () => {
    const left = randomBytes(32);
    const right = randomBytes(32);
    expect(toHex(nodeHashOf(left, right))).toBe(sha256(Uint8Array.of(1), left, right));
  });

  it.each([0, 1, 55, 56, 63, 64, 65, 300, 1023, 1024, 5000, 70_000])(
    'agrees with createHash for %i-byte leaves, as bytes and as UTF-8 text',
    (length) => {
      const bytes = randomBytes(length);
      expect(toHex(leafHashOf(bytes))).toBe(sha256(Uint8Array.of(0), bytes));
      const text = 'é€😀a'.repeat(length);
      expect(toHex(leafHashOf(text))).toBe(sha256(Uint8Array.of(0), Buffer.from(text, 'utf8')));
    },
  );

  it('returns independent arrays', () => {
    const a = leafHashOf('x');
    const b = leafHashOf('x');
    a[0] = (a[0] ?? 0) ^ 0xff;
    expect(toHex(b)).toBe(sha256(Uint8Array.of(0), Buffer.from('x')));
  });

  it('rejects text that has no exact UTF-8 form and hashes of the wrong size', () => {
    expect(() => leafHashOf('a\uD800b')).toThrow(TypeError);
    expect(() => nodeHashOf(new Uint8Array(31), new Uint8Array(32))).toThrow(RangeError);
  });
});
