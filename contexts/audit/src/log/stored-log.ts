import type { EventStore, RecordedEvent } from '#kernel';
import { START } from '#kernel';
import { type AuditVerification, LocatingVerifier, checkpointRejected } from './audit-verification.js';
import { type SignedCheckpoint, verifyCheckpoint } from '#transparency-log';
import type { SealStore, StoredLeaf } from './seal-store.js';
import type { LogTrust } from './sealed-log.js';

/** Leaf `leafIndex` as recorded beside the event now at that place in the store's global order. */
export interface StoredLogEntry {
  readonly leafIndex: number;
  readonly leaf: StoredLeaf | null;
  readonly event: RecordedEvent | null;
}

const PAGE = 1000;

/**
 * Walks leaves 0..treeSize-1 and, in step, the store's events from the start in commit order
 * (`readAll`, exactly as the sealer read them), pairing them by place. Nothing is matched by id
 * or position: a deleted or reordered event shows up as the wrong event at its leaf. A missing
 * leaf record or a store that runs out of events yields null in its place.
 */
export async function* storedLogEntries(store: EventStore, sealStore: SealStore, treeSize: number): AsyncGenerator<StoredLogEntry> {
  let cursor = START;
  let events: RecordedEvent[] = [];
  let nextEvent = 0;
  let eventsEnded = false;
  let leaves: StoredLeaf[] = [];
  let nextLeaf = 0;
  for (let index = 0; index < treeSize; index++) {
    if (nextEvent >= events.length && !eventsEnded) {
      events = await store.readAll(cursor, { limit: Math.min(PAGE, treeSize - index) });
      nextEvent = 0;
      if (events.length === 0) eventsEnded = true;
      else cursor = events[events.length - 1]!.cursor;
    }
    if (nextLeaf >= leaves.length) {
      leaves = await sealStore.leaves(index, Math.min(PAGE, treeSize - index));
      nextLeaf = 0;
    }
    const candidate = leaves[nextLeaf];
    const leaf = candidate?.leafIndex === index ? candidate : null;
    if (leaf !== null) nextLeaf++;
    const event = eventsEnded ? null : events[nextEvent++]!;
    yield { leafIndex: index, leaf, event };
  }
}

/**
 * POST /v1/audit/verify: re-reads every event, recomputes its leaf hash, compares it with the
 * recorded one and the whole with the latest checkpoint, which must be signed by the trusted key.
 * Null when no checkpoint was ever signed.
 */
export async function verifyStoredLog(store: EventStore, sealStore: SealStore, trust: LogTrust): Promise<AuditVerification | null> {
  const checkpoint = await sealStore.latestCheckpoint();
  if (checkpoint === null) return null;
  return verifyStoredLogAt(store, sealStore, trust, checkpoint);
}

export async function verifyStoredLogAt(
  store: EventStore,
  sealStore: SealStore,
  trust: LogTrust,
  checkpoint: SignedCheckpoint,
): Promise<AuditVerification> {
  const verdict = verifyCheckpoint(checkpoint, trust.publicKey, { origin: trust.origin });
  if (!verdict.ok) return checkpointRejected(checkpoint, verdict.reason);
  const verifier = new LocatingVerifier(checkpoint);
  for await (const entry of storedLogEntries(store, sealStore, checkpoint.treeSize)) {
    verifier.add(entry);
    if (verifier.complete) break;
  }
  return verifier.result();
}
