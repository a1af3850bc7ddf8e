import { emptyRoot, leafHashOf } from './merkle-hash.js';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './merkle-proof-verifier.js';
import { MerkleTree } from './merkle-tree.js';

const MAX_SIZE = 64;

/**
 * Collects the labels of checks that came out wrong, so hundreds of thousands of cases cost one
 * `expect` (and a failure names every offending case).
 */
class Offences {
  private readonly found: string[] = [];
  expect(actual: boolean, expected: boolean, label: () => string): void {
    if (actual !== expected) this.found.push(label());
  }
  get list(): string[] {
    return this.found;
  }
}
const tree = new MerkleTree();
for (let i = 0; i < MAX_SIZE; i++) tree.appendData(`entry ${i}`);
const roots = Array.from({ length: MAX_SIZE + 1 }, (_, n) => tree.rootAt(n));
const root = (n: number): Uint8Array => roots[n]!;
const leaf = (i: number): Uint8Array => tree.leafHash(i);

const flipped = (hash: Uint8Array, byte: number): Uint8Array => {
  const copy = hash.slice();
  copy[byte % copy.length] = (copy[byte % copy.length] ?? 0) ^ 0x01;
  return copy;
};
/** Every way of breaking a proof by one edit: a flipped byte in each hash, each hash dropped, an extra hash. */
const tamperings = (proof: readonly Uint8Array[], seed: number): Uint8Array[][] => {
  const variants: Uint8Array[][] = [];
  proof.forEach((hash, i) => {
    variants.push(proof.map((h, j) => (j === i ? flipped(hash, seed + 7 * i) : h)));
    variants.push(proof.filter((_, j) => j !== i));
  });
  const extra = leafHashOf(`extra ${seed}`);
  variants.push([...proof, extra], [extra, ...proof]);
  if (proof.length > 1) variants.push([...proof].reverse());
  return variants;
};

describe('inclusion proofs (RFC 9162 §2.1.3.2), all sizes 1..64 and every leaf', () => {
  it('verify when honest', () => {
    const offences = new Offences();
    for (let n = 1; n <= MAX_SIZE; n++) {
      for (let m = 0; m < n; m++) {
        offences.expect(verifyInclusion(leaf(m), m, n, tree.inclusionProof(m, n), root(n)), true, () => `${m}/${n}`);
      }
    }
    expect(offences.list).toEqual([]);
  });

  it('fail with a flipped byte, a dropped hash, an extra hash or reordered hashes', () => {
    const offences = new Offences();
    for (let n = 1; n <= MAX_SIZE; n++) {
      for (let m = 0; m < n; m++) {
        const proof = tree.inclusionProof(m, n);
        tamperings(proof, m + n).forEach((bad, i) =>
          offences.expect(verifyInclusion(leaf(m), m, n, bad, root(n)), false, () => `${m}/${n} variant ${i}`),
        );
        offences.expect(verifyInclusion(flipped(leaf(m), m), m, n, proof, root(n)), false, () => `${m}/${n} leaf`);
        offences.expect(verifyInclusion(leaf(m), m, n, proof, flipped(root(n), n)), false, () => `${m}/${n} root`);
      }
    }
    expect(offences.list).toEqual([]);
  });

  it('fail for any wrong index', () => {
    const offences = new Offences();
    for (let n = 1; n <= MAX_SIZE; n++) {
      for (let m = 0; m < n; m++) {
        const proof = tree.inclusionProof(m, n);
        for (let other = -1; other <= n; other++) {
          if (other === m) continue;
          offences.expect(verifyInclusion(leaf(m), other, n, proof, root(n)), false, () => `${m}/${n} as ${other}`);
        }
      }
    }
    expect(offences.list).toEqual([]);
  });

  // The root alone does not bind the size (a signed checkpoint binds them), so a wrong size is
  // checked against that size's root, as a verifier holding that checkpoint would.
  it('fail for any wrong tree size', () => {
    const offences = new Offences();
    for (let n = 1; n <= MAX_SIZE; n++) {
      for (let m = 0; m < n; m++) {
        const proof = tree.inclusionProof(m, n);
        for (let other = 0; other <= MAX_SIZE; other++) {
          if (other === n) continue;
          offences.expect(verifyInclusion(leaf(m), m, other, proof, root(other)), false, () => `${m}/${n} as size ${other}`);
        }
      }
    }
    expect(offences.list).toEqual([]);
  });

  it('exposes the implied root and rejects malformed input without throwing', () => {
    expect(rootFromInclusionProof(leaf(3), 3, 10, tree.inclusionProof(3, 10))).toEqual(root(10));
    expect(rootFromInclusionProof(leaf(3), 3, 10, [new Uint8Array(31)])).toBeNull();
    expect(verifyInclusion(leaf(0), 0.5, 2, tree.inclusionProof(0, 2), root(2))).toBe(false);
    expect(verifyInclusion(new Uint8Array(3), 0, 1, [], root(1))).toBe(false);
    expect(verifyInclusion(leaf(0), 0, Number.MAX_SAFE_INTEGER + 1, [], root(1))).toBe(false);
  });
});

describe('consistency proofs (RFC 9162 §2.1.4.2), all 0 <= m <= n <= 64', () => {
  it('verify when honest', () => {
    const offences = new Offences();
    for (let n = 0; n <= MAX_SIZE; n++) {
      for (let m = 0; m <= n; m++) {
        offences.expect(verifyConsistency(m, n, tree.consistencyProof(m, n), root(m), root(n)), true, () => `${m}->${n}`);
      }
    }
    expect(offences.list).toEqual([]);
  });

  it('fail with a flipped byte, a dropped hash, an extra hash or reordered hashes', () => {
    const offences = new Offences();
    for (let n = 1; n <= MAX_SIZE; n++) {
      for (let m = 1; m < n; m++) {
        const proof = tree.consistencyProof(m, n);
        tamperings(proof, m * n).forEach((bad, i) =>
          offences.expect(verifyConsistency(m, n, bad, root(m), root(n)), false, () => `${m}->${n} variant ${i}`),
        );
        offences.expect(verifyConsistency(m, n, proof, flipped(root(m), m), root(n)), false, () => `${m}->${n} root1`);
        offences.expect(verifyConsistency(m, n, proof, root(m), flipped(root(n), n)), false, () => `${m}->${n} root2`);
        offences.expect(verifyConsistency(m, n, proof, root(n), root(m)), false, () => `${m}->${n} swapped`);
      }
    }
    expect(offences.list).toEqual([]);
  });

  it('fail for a wrong first size, or a second size off by one (against those sizes’ roots)', () => {
    const offences = new Offences();
    for (let n = 2; n <= MAX_SIZE; n++) {
      for (let m = 1; m < n; m++) {
        const proof = tree.consistencyProof(m, n);
        for (let m2 = 0; m2 <= MAX_SIZE; m2++) {
          for (const n2 of [n - 1, n, n + 1]) {
            if ((m2 === m && n2 === n) || m2 > n2 || n2 > MAX_SIZE) continue;
            offences.expect(verifyConsistency(m2, n2, proof, root(m2), root(n2)), false, () => `${m}->${n} as ${m2}->${n2}`);
          }
        }
      }
    }
    expect(offences.list).toEqual([]);
  });

  it('handles the trivial and malformed cases', () => {
    expect(verifyConsistency(0, 5, [], emptyRoot(), root(5))).toBe(true);
    expect(verifyConsistency(0, 5, [], root(1), root(5))).toBe(false);
    expect(verifyConsistency(0, 5, [root(1)], emptyRoot(), root(5))).toBe(false);
    expect(verifyConsistency(5, 5, [], root(5), root(5))).toBe(true);
    expect(verifyConsistency(5, 5, [root(1)], root(5), root(5))).toBe(false);
    expect(verifyConsistency(5, 5, [], root(5), root(4))).toBe(false);
    expect(verifyConsistency(6, 5, [], root(6), root(5))).toBe(false);
    expect(verifyConsistency(3, 5, [], root(3), root(5))).toBe(false);
    expect(verifyConsistency(3, 5, [new Uint8Array(32), new Uint8Array(2)], root(3), root(5))).toBe(false);
  });
});
