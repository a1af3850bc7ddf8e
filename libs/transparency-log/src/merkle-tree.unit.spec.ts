import { randomBytes } from 'node:crypto';
import { CompactRange } from './compact-range.js';
import { fromHex, toHex } from './encoding.js';
import { emptyRoot, leafHashOf, nodeHashOf } from './merkle-hash.js';
import { MerkleTree } from './merkle-tree.js';

/** RFC 6962 §2.1 MTH, PATH and PROOF written straight from the definitions, as an oracle. */
const split = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);
const naiveRoot = (leaves: readonly Uint8Array[]): Uint8Array => {
  if (leaves.length === 0) return emptyRoot();
  if (leaves.length === 1) return leafHashOf(leaves[0]!);
  const k = split(leaves.length);
  return nodeHashOf(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
};
const naivePath = (m: number, leaves: readonly Uint8Array[]): Uint8Array[] => {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...naivePath(m, leaves.slice(0, k)), naiveRoot(leaves.slice(k))]
    : [...naivePath(m - k, leaves.slice(k)), naiveRoot(leaves.slice(0, k))];
};
const naiveSubproof = (m: number, leaves: readonly Uint8Array[], complete: boolean): Uint8Array[] => {
  if (m === leaves.length) return complete ? [] : [naiveRoot(leaves)];
  const k = split(leaves.length);
  return m <= k
    ? [...naiveSubproof(m, leaves.slice(0, k), complete), naiveRoot(leaves.slice(k))]
    : [...naiveSubproof(m - k, leaves.slice(k), false), naiveRoot(leaves.slice(0, k))];
};

const hexes = (hashes: readonly Uint8Array[]): string[] => hashes.map(toHex);

/** The certificate-transparency reference tree (RFC 6962 test data). */
const REFERENCE_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex);
const REFERENCE_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const REFERENCE_INCLUSION: [leafIndex: number, treeSize: number, path: string[]][] = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [1, 2, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d']],
];
const REFERENCE_CONSISTENCY: [size1: number, size2: number, proof: string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];

const referenceTree = (): MerkleTree => {
  const tree = new MerkleTree();
  for (const leaf of REFERENCE_LEAVES) tree.appendData(leaf);
  return tree;
};

describe('MerkleTree on the RFC 6962 reference tree', () => {
  it('has the reference root after each append and at every earlier size', () => {
    const tree = new MerkleTree();
    expect(toHex(tree.root())).toBe(toHex(emptyRoot()));
    REFERENCE_LEAVES.forEach((leaf, i) => {
      tree.appendData(leaf);
      expect(toHex(tree.root())).toBe(REFERENCE_ROOTS[i]);
    });
    REFERENCE_ROOTS.forEach((root, i) => expect(toHex(tree.rootAt(i + 1))).toBe(root));
  });

  it.each(REFERENCE_INCLUSION)('produces the reference audit path of leaf %i in size %i', (m, n, path) => {
    expect(hexes(referenceTree().inclusionProof(m, n))).toEqual(path);
    expect(hexes(naivePath(m, REFERENCE_LEAVES.slice(0, n)))).toEqual(path);
  });

  it.each(REFERENCE_CONSISTENCY)('produces the reference consistency proof %i -> %i', (m, n, proof) => {
    expect(hexes(referenceTree().consistencyProof(m, n))).toEqual(proof);
    if (m < n) expect(hexes(naiveSubproof(m, REFERENCE_LEAVES.slice(0, n), true))).toEqual(proof);
  });
});

describe('MerkleTree against a naive RFC 6962 implementation', () => {
  const leaves = Array.from({ length: 70 }, (_, i) => randomBytes(i % 9));
  const tree = new MerkleTree();
  const incremental: string[] = [];
  for (const leaf of leaves) {
    tree.append(leafHashOf(leaf));
    incremental.push(toHex(tree.root()));
  }

  it('agrees on the root at every size, incrementally and via rootAt', () => {
    for (let n = 0; n <= leaves.length; n++) {
      const expected = toHex(naiveRoot(leaves.slice(0, n)));
      expect(toHex(tree.rootAt(n))).toBe(expected);
      if (n > 0) expect(incremental[n - 1]).toBe(expected);
    }
  });

  it('agrees on every audit path and consistency proof up to size 64', () => {
    for (let n = 1; n <= 64; n++) {
      const prefix = leaves.slice(0, n);
      for (let m = 0; m < n; m++) expect(hexes(tree.inclusionProof(m, n))).toEqual(hexes(naivePath(m, prefix)));
      for (let m = 1; m < n; m++) {
        expect(hexes(tree.consistencyProof(m, n))).toEqual(hexes(naiveSubproof(m, prefix, true)));
      }
    }
  });

  it('stores leaf hashes as given', () => {
    expect(toHex(tree.leafHash(5))).toBe(toHex(leafHashOf(leaves[5]!)));
    expect(tree.size).toBe(70);
  });
});

describe('MerkleTree at scale', () => {
  it('stays correct across storage-block boundaries', () => {
    const tree = new MerkleTree();
    const range = new CompactRange();
    const checkpoints = new Map<number, string>();
    const watch = new Set([1, 16_383, 16_384, 16_385, 32_767, 32_768, 32_769, 40_000]);
    for (let i = 0; i < 40_000; i++) {
      const leaf = `leaf-${i}`;
      tree.appendData(leaf);
      range.appendData(leaf);
      if (watch.has(range.size)) checkpoints.set(range.size, toHex(range.root()));
    }
    for (const [size, root] of checkpoints) expect(toHex(tree.rootAt(size))).toBe(root);
    const small = Array.from({ length: 16_385 }, (_, i) => new TextEncoder().encode(`leaf-${i}`));
    expect(toHex(tree.rootAt(16_385))).toBe(toHex(naiveRoot(small)));
    // 40000 = 32768 + 4096 + 2048 + 1024 + 64: the first leaf needs 16 siblings, the last 4 + 6.
    expect(tree.inclusionProof(0)).toHaveLength(16);
    expect(tree.inclusionProof(39_999)).toHaveLength(10);
  });
});

describe('MerkleTree input checks', () => {
  it('rejects sizes and indices outside the tree', () => {
    const tree = referenceTree();
    expect(() => tree.rootAt(9)).toThrow(RangeError);
    expect(() => tree.rootAt(-1)).toThrow(RangeError);
    expect(() => tree.rootAt(1.5)).toThrow(RangeError);
    expect(() => tree.inclusionProof(8)).toThrow(RangeError);
    expect(() => tree.inclusionProof(3, 3)).toThrow(RangeError);
    expect(() => tree.consistencyProof(5, 4)).toThrow(RangeError);
    expect(() => tree.consistencyProof(1, 9)).toThrow(RangeError);
    expect(() => tree.append(new Uint8Array(31))).toThrow(RangeError);
    expect(() => tree.leafHash(8)).toThrow(RangeError);
  });

  it('treats trivial consistency as an empty proof', () => {
    const tree = referenceTree();
    expect(tree.consistencyProof(0, 8)).toEqual([]);
    expect(tree.consistencyProof(8, 8)).toEqual([]);
  });

  it('appendAll and appendData agree with append(leafHashOf(...))', () => {
    const a = new MerkleTree();
    a.appendAll(REFERENCE_LEAVES.map((leaf) => leafHashOf(leaf)));
    expect(toHex(a.root())).toBe(REFERENCE_ROOTS[7]);
    const b = new MerkleTree();
    b.appendData('héllo');
    expect(toHex(b.root())).toBe(toHex(leafHashOf(new TextEncoder().encode('héllo'))));
  });
});

describe('MerkleTree.truncate (a rolled-back batch)', () => {
  it('returns to an earlier size and regrows to the same roots and proofs as a tree never truncated', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => `leaf-${i}`);
    const straight = new MerkleTree();
    leaves.forEach((leaf) => straight.appendData(leaf));
    const tree = new MerkleTree();
    leaves.slice(0, 37).forEach((leaf) => tree.appendData(leaf));
    // A batch of different leaves that never committed, dropped again.
    for (let i = 0; i < 20; i++) tree.appendData(`rolled-back-${i}`);
    tree.truncate(37);
    expect(tree.size).toBe(37);
    expect(toHex(tree.root())).toBe(toHex(straight.rootAt(37)));
    leaves.slice(37).forEach((leaf) => tree.appendData(leaf));
    expect(toHex(tree.root())).toBe(toHex(straight.root()));
    for (let size = 1; size <= 70; size++) expect(toHex(tree.rootAt(size))).toBe(toHex(straight.rootAt(size)));
    for (const index of [0, 36, 37, 50, 69]) expect(hexes(tree.inclusionProof(index))).toEqual(hexes(straight.inclusionProof(index)));
    expect(hexes(tree.consistencyProof(37, 70))).toEqual(hexes(straight.consistencyProof(37, 70)));
  });

  it('refuses to grow or to go below zero', () => {
    const tree = referenceTree();
    expect(() => tree.truncate(9)).toThrow(RangeError);
    expect(() => tree.truncate(-1)).toThrow(RangeError);
    tree.truncate(0);
    expect(toHex(tree.root())).toBe(toHex(emptyRoot()));
  });
});
