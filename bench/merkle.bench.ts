import { createHash, hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type LeafEvent, LogVerifier, canonicalLeafJson } from '../contexts/audit/src/log/index.js';
import {
  MerkleTree,
  createCheckpoint,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  toHex,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '#transparency-log';

/**
 * Transparency-log throughput on one thread: sealing 1M canonical events into the Merkle tree
 * (leaf hashing + tree building) against plain SHA-256 of the same bytes in the same run, proof
 * generation at 1M leaves, and full verification of 1M events against a signed checkpoint.
 */

const EVENTS = 1_000_000;
const PROOFS = 1000;
const RUNS = 5;
const WARM_UP = 50_000;
const MAX_EVENT_BYTES = 1024;
const ORIGIN = 'bench.compliance-ledger/audit';

/** A realistic stored event: a gate decision with ids and metadata (~300 canonical bytes). */
function makeEvent(i: number): LeafEvent {
  const id = i.toString(16).padStart(12, '0');
  return {
    position: i + 1,
    eventId: `evt-${id}`,
    streamId: `artifact-${id}`,
    streamVersion: (i % 7) + 1,
    type: 'GateDecided',
    data: { gate: 'deployment', allowed: i % 5 !== 0 },
    metadata: { actor: `pipeline-${i % 97}`, correlationId: `c-${id}`, occurredAt: '2025-06-01T12:00:00.000Z' },
    recordedAt: '2025-06-01T12:00:00.123Z',
  };
}

const seconds = (ms: number): number => Math.round(ms) / 1000;
const perSecond = (count: number, ms: number): number => Math.round(count / (ms / 1000));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

/** Milliseconds of one timed call. */
function time(body: () => void): number {
  const start = performance.now();
  body();
  return performance.now() - start;
}

/** Deterministic pseudo-random integers (xorshift), so every run proves the same leaves. */
function randomInts(count: number, below: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % below;
  });
}

export async function run(): Promise<Record<string, unknown>> {
  // Canonical leaf bytes of 1M events, prepared once outside any timed section and packed into
  // one buffer: a million separate Buffers would make every GC crawl and slow all loops alike.
  const encoder = new TextEncoder();
  const packed = new Uint8Array(EVENTS * MAX_EVENT_BYTES);
  const offsets = new Float64Array(EVENTS + 1);
  const canonicalStart = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const { written } = encoder.encodeInto(canonicalLeafJson(makeEvent(i)), packed.subarray(offsets[i]));
    if (written === MAX_EVENT_BYTES) throw new Error('event too large for the bench buffer');
    offsets[i + 1] = offsets[i]! + written;
  }
  const canonicalMs = performance.now() - canonicalStart;
  const totalBytes = offsets[EVENTS]!;
  const leaf = (i: number): Uint8Array => packed.subarray(offsets[i], offsets[i + 1]);

  // Baselines: SHA-256 of each event's bytes and nothing else. The one-shot string digest is the
  // fastest SHA-256 node:crypto offers (and what the tree uses); createHash is the common idiom.
  let sink = 0;
  const sha256OneShot = (count: number): void => {
    for (let i = 0; i < count; i++) sink += hash('sha256', leaf(i), 'binary').length;
  };
  const sha256CreateHash = (count: number): void => {
    for (let i = 0; i < count; i++) sink += createHash('sha256').update(leaf(i)).digest().length;
  };
  let tree = new MerkleTree();
  const seal = (count: number): void => {
    tree = new MerkleTree();
    for (let i = 0; i < count; i++) tree.appendData(leaf(i));
    sink += tree.root().length;
  };
  sha256OneShot(WARM_UP);
  sha256CreateHash(WARM_UP);
  seal(WARM_UP);
  const oneShotMs: number[] = [];
  const createHashMs: number[] = [];
  const sealMs: number[] = [];
  // Interleaved runs, so drift in machine load hits baseline and sealing alike.
  for (let r = 0; r < RUNS; r++) {
    oneShotMs.push(time(() => sha256OneShot(EVENTS)));
    createHashMs.push(time(() => sha256CreateHash(EVENTS)));
    sealMs.push(time(() => seal(EVENTS)));
  }
  const baselineRate = perSecond(EVENTS, median(oneShotMs));
  const sealRate = perSecond(EVENTS, median(sealMs));

  // Sealing as the sealer does it: event object -> canonical JSON -> leaf -> tree.
  const endToEndTree = new MerkleTree();
  const endToEndMs = time(() => {
    for (let i = 0; i < EVENTS; i++) endToEndTree.appendData(canonicalLeafJson(makeEvent(i)));
  });
  if (toHex(endToEndTree.root()) !== toHex(tree.root())) throw new Error('end-to-end sealing disagrees');

  // Proofs at 1M leaves: generation time per proof, and verification as a client would do it.
  const root = tree.root();
  const inclusionUs: number[] = [];
  const inclusionVerifyUs: number[] = [];
  for (const index of randomInts(PROOFS, EVENTS, 0x9e3779b9)) {
    let proof: Uint8Array[] = [];
    inclusionUs.push(time(() => (proof = tree.inclusionProof(index))) * 1000);
    const leafHash = tree.leafHash(index);
    let ok = false;
    inclusionVerifyUs.push(time(() => (ok = verifyInclusion(leafHash, index, EVENTS, proof, root))) * 1000);
    if (!ok) throw new Error(`inclusion proof ${index} did not verify`);
  }
  const consistencyUs: number[] = [];
  for (const size of randomInts(PROOFS, EVENTS - 1, 0x85ebca6b)) {
    let proof: Uint8Array[] = [];
    consistencyUs.push(time(() => (proof = tree.consistencyProof(size + 1))) * 1000);
    if (!verifyConsistency(size + 1, EVENTS, proof, tree.rootAt(size + 1), root)) {
      throw new Error(`consistency proof ${size + 1} did not verify`);
    }
  }
  const rootAtUs = median(randomInts(PROOFS, EVENTS, 0x27d4eb2f).map((size) => time(() => tree.rootAt(size + 1)) * 1000));

  // Full verification of 1M events against a signed checkpoint: canonicalise, hash, fold, compare.
  const keys = generateSigningKeyPair();
  const checkpoint = createCheckpoint({ origin: ORIGIN, treeSize: EVENTS, rootHash: root, timestamp: new Date() }, keys.privateKey);
  const publicKey = exportPublicKeyBase64(keys.publicKey);
  function* events(): Generator<LeafEvent> {
    for (let i = 0; i < EVENTS; i++) yield makeEvent(i);
  }
  const generationMs = time(() => {
    for (const event of events()) sink += event.position;
  });
  // As the verify endpoint and the offline verifier do: the checkpoint's signature, then every event under it.
  let verification: ReturnType<LogVerifier['result']> | undefined;
  const verifyMs = time(() => {
    if (!verifyCheckpoint(checkpoint, publicKey, { origin: ORIGIN }).ok) throw new Error('the checkpoint does not verify');
    const verifier = new LogVerifier(checkpoint);
    for (const event of events()) verifier.add(event);
    verification = verifier.result();
  });
  if (verification?.ok !== true) throw new Error('verification of the sealed log failed');
  let withStored: ReturnType<LogVerifier['result']> | undefined;
  const verifyStoredMs = time(() => {
    const verifier = new LogVerifier(checkpoint);
    let i = 0;
    for (const event of events()) verifier.add(event, tree.leafHash(i++));
    withStored = verifier.result();
  });
  if (withStored?.ok !== true) throw new Error('verification against stored leaf hashes failed');

  if (sink === 0) throw new Error('benchmark produced nothing');
  return {
    name: 'merkle',
    node: process.version,
    events: EVENTS,
    runs: RUNS,
    statistic: 'median of interleaved runs (proofs: median of 1000)',
    canonicalEventBytes: { average: Math.round(totalBytes / EVENTS), total: totalBytes },
    baseline: {
      sha256OneShotEventsPerSecond: baselineRate,
      sha256CreateHashEventsPerSecond: perSecond(EVENTS, median(createHashMs)),
    },
    sealing: {
      eventsPerSecond: sealRate,
      seconds: seconds(median(sealMs)),
      ratioToOneShotBaseline: Math.round((sealRate / baselineRate) * 1000) / 1000,
      ratioToCreateHashBaseline: Math.round((sealRate / perSecond(EVENTS, median(createHashMs))) * 1000) / 1000,
      runsSeconds: sealMs.map(seconds),
      baselineRunsSeconds: oneShotMs.map(seconds),
    },
    sealingWithCanonicalisation: {
      eventsPerSecond: perSecond(EVENTS, endToEndMs),
      seconds: seconds(endToEndMs),
      canonicalisationToBytesEventsPerSecond: perSecond(EVENTS, canonicalMs),
    },
    proofsAtOneMillion: {
      inclusionGenerationMedianMicroseconds: round2(median(inclusionUs)),
      inclusionGenerationP99Microseconds: round2(percentile(inclusionUs, 0.99)),
      inclusionVerificationMedianMicroseconds: round2(median(inclusionVerifyUs)),
      consistencyGenerationMedianMicroseconds: round2(median(consistencyUs)),
      rootAtMedianMicroseconds: round2(rootAtUs),
    },
    fullVerification: {
      seconds: seconds(verifyMs),
      eventsPerSecond: perSecond(EVENTS, verifyMs),
      withStoredLeafHashesSeconds: seconds(verifyStoredMs),
      eventGenerationSecondsIncluded: seconds(generationMs),
    },
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
