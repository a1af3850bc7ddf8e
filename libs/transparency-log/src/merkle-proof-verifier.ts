import { bytesEqual } from './encoding.js';
import { HASH_SIZE, emptyRoot, nodeHashOf } from './merkle-hash.js';

/*
 * Proof verification exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 specify: the root is folded from
 * the proof by walking the index bits, never by rebuilding a tree. Arithmetic halving instead of
 * `>>` keeps indices above 2^31 correct. Malformed input yields `false`, never an exception,
 * because proofs arrive from untrusted parties.
 */

/** The root an inclusion proof implies for `leafHash` at `leafIndex` in a tree of `treeSize`, or null if malformed. */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Uint8Array | null {
  if (!isCount(leafIndex) || !isCount(treeSize) || leafIndex >= treeSize) return null;
  if (!isHash(leafHash) || !proof.every(isHash)) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHashOf(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHashOf(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.3.2: does `proof` show `leafHash` at `leafIndex` in the tree of `treeSize` with `root`? */
export function verifyInclusion(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(leafHash, leafIndex, treeSize, proof);
  return computed !== null && bytesEqual(computed, root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of `size1` with `root1` is a prefix of the
 * tree of `size2` with `root2`? Equal sizes need an empty proof and equal roots; size1 = 0 needs
 * an empty proof and root1 = MTH({}).
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  if (!isCount(size1) || !isCount(size2) || size1 > size2) return false;
  if (!isHash(root1) || !isHash(root2) || !proof.every(isHash)) return false;
  if (size1 === size2) return proof.length === 0 && bytesEqual(root1, root2);
  if (size1 === 0) return proof.length === 0 && bytesEqual(root1, emptyRoot());
  if (proof.length === 0) return false;

  // A power-of-two first tree is itself a node of the second, so the proof omits it.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHashOf(c, fr);
      sr = nodeHashOf(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHashOf(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, root1) && bytesEqual(sr, root2);
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function isHash(value: Uint8Array): boolean {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

function isPowerOfTwo(value: number): boolean {
  let v = value;
  while (v > 1 && v % 2 === 0) v /= 2;
  return v === 1;
}
