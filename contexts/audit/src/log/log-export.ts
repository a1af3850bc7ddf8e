import type { EventStore, RecordedEvent } from '#kernel';
import { type AuditVerification, LocatingVerifier, checkpointRejected, malformedExport } from './audit-verification.js';
import type { LeafEvent } from './canonical-leaf.js';
import { type SignedCheckpoint, type TrustedKey, verifyCheckpoint, fromHex, toHex, HASH_SIZE } from '#transparency-log';
import type { SealStore } from './seal-store.js';
import { storedLogEntries } from './stored-log.js';

/**
 * Export format, version 1: JSON lines (UTF-8, one JSON object per "\n"-terminated line).
 *
 *     line 1:  {"format":"compliance-ledger.audit-log-export.v1","checkpoint":{treeSize, rootHash,
 *               timestamp, signature, publicKey, note}}            (the GET /v1/audit/log/checkpoint body)
 *     line 2+: {"leafIndex":i,
 *               "leaf":{"position":p,"eventId":id,"leafHash":hex} | null,   (what the log recorded)
 *               "event":{position, eventId, streamId, streamVersion, type, data, metadata,
 *                        recordedAt} | null}                           (the event now in the store)
 *
 * One entry per leaf, 0 to treeSize-1, pairing the log's record with the event found at the same
 * place in the store's global order; `event` is null once the store has run out. Trust comes only
 * from the checkpoint's signature and the events themselves: the `leaf` records merely let a
 * verifier name the first bad event (e.g. one that was deleted).
 */
export const AUDIT_LOG_EXPORT_FORMAT = 'compliance-ledger.audit-log-export.v1';

const CHUNK_CHARS = 256 * 1024;

export interface ExportEntry {
  readonly leafIndex: number;
  readonly leaf: { readonly position: number; readonly eventId: string; readonly leafHash: string } | null;
  readonly event: LeafEvent | null;
}

/** The export as text chunks of whole lines (about 256 KB each), for streaming. */
export async function* exportLogChunks(store: EventStore, sealStore: SealStore, checkpoint: SignedCheckpoint): AsyncGenerator<string> {
  let chunk = `${JSON.stringify({ format: AUDIT_LOG_EXPORT_FORMAT, checkpoint: checkpointFields(checkpoint) })}\n`;
  for await (const entry of storedLogEntries(store, sealStore, checkpoint.treeSize)) {
    const line: ExportEntry = {
      leafIndex: entry.leafIndex,
      leaf: entry.leaf && { position: entry.leaf.position, eventId: entry.leaf.eventId, leafHash: toHex(entry.leaf.leafHash) },
      event: entry.event && leafEventOf(entry.event),
    };
    chunk += `${JSON.stringify(line)}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

export interface ExportVerification extends AuditVerification {
  /** `given`: checked against the key the caller trusts; `export`: only against the key the file names. */
  readonly keySource: 'given' | 'export';
}

export interface VerifyExportOptions {
  /** The key to trust (base64 raw key, C2SP verifier key or KeyObject); default: the one in the file. */
  readonly publicKey?: TrustedKey;
  /** Require this checkpoint origin. */
  readonly origin?: string;
}

/**
 * Verifies an export offline: the checkpoint's signature, then every event against the signed
 * root, naming the first bad one. Never throws on bad input; a malformed file is a failure.
 */
export async function verifyExportLines(
  lines: AsyncIterable<string> | Iterable<string>,
  options: VerifyExportOptions = {},
): Promise<ExportVerification> {
  const keySource = options.publicKey === undefined ? 'export' : 'given';
  let checkpoint: SignedCheckpoint | null = null;
  let verifier: LocatingVerifier | null = null;
  let expected = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    if (checkpoint === null) {
      const header = parseHeader(line);
      if (typeof header === 'string') return { ...checkpointRejected({}, header), problem: 'malformed-export', keySource };
      checkpoint = header;
      const verdict = verifyCheckpoint(checkpoint, options.publicKey ?? checkpoint.publicKey, { origin: options.origin });
      if (!verdict.ok) return { ...checkpointRejected(checkpoint, verdict.reason), keySource };
      verifier = new LocatingVerifier(checkpoint);
      continue;
    }
    if (expected >= checkpoint.treeSize)
      return { ...malformedExport(checkpoint, expected, expected, "more entries than the checkpoint's tree size"), keySource };
    const entry = parseEntry(line, expected);
    if (typeof entry === 'string') return { ...malformedExport(checkpoint, expected, expected, entry), keySource };
    verifier!.add(entry);
    expected++;
  }
  if (checkpoint === null || verifier === null)
    return { ...checkpointRejected({}, 'the export is empty'), problem: 'malformed-export', keySource };
  return { ...verifier.result(), keySource };
}

function parseHeader(line: string): SignedCheckpoint | string {
  let header: unknown;
  try {
    header = JSON.parse(line);
  } catch {
    return 'the first line is not JSON';
  }
  const { format, checkpoint } = (header ?? {}) as { format?: unknown; checkpoint?: Record<string, unknown> };
  if (format !== AUDIT_LOG_EXPORT_FORMAT) return `the first line does not name the format ${AUDIT_LOG_EXPORT_FORMAT}`;
  if (typeof checkpoint !== 'object' || checkpoint === null) return 'the first line holds no checkpoint';
  const { treeSize, rootHash, timestamp, signature, publicKey, note } = checkpoint;
  if (typeof treeSize !== 'number' || !Number.isSafeInteger(treeSize) || treeSize < 0) return 'the checkpoint has no valid treeSize';
  for (const [name, value] of Object.entries({ rootHash, timestamp, signature, publicKey, note })) {
    if (typeof value !== 'string') return `the checkpoint has no ${name}`;
  }
  return { treeSize, rootHash, timestamp, signature, publicKey, note } as SignedCheckpoint;
}

function parseEntry(
  line: string,
  expected: number,
): { leaf: { position: number; leafHash: Uint8Array } | null; event: LeafEvent | null } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return 'the line is not JSON';
  }
  const { leafIndex, leaf, event } = (parsed ?? {}) as { leafIndex?: unknown; leaf?: unknown; event?: unknown };
  if (leafIndex !== expected) return `expected leafIndex ${expected}, found ${JSON.stringify(leafIndex) ?? 'none'}`;
  if (event !== null && (typeof event !== 'object' || Array.isArray(event))) return 'event must be an object or null';
  if (leaf === null || leaf === undefined) return { leaf: null, event: event as LeafEvent | null };
  const { position, leafHash } = leaf as { position?: unknown; leafHash?: unknown };
  if (typeof position !== 'number' || typeof leafHash !== 'string') return 'leaf must hold position and leafHash';
  let hash: Uint8Array;
  try {
    hash = fromHex(leafHash);
  } catch {
    return 'leaf.leafHash is not hex';
  }
  if (hash.length !== HASH_SIZE) return `leaf.leafHash must be ${HASH_SIZE} bytes`;
  return { leaf: { position, leafHash: hash }, event: event as LeafEvent | null };
}

/** The fields a leaf commits to, without the store-specific cursor. */
export function leafEventOf(event: RecordedEvent): LeafEvent {
  const { position, eventId, streamId, streamVersion, type, data, metadata, recordedAt } = event;
  return { position, eventId, streamId, streamVersion, type, data, metadata, recordedAt };
}

function checkpointFields(checkpoint: SignedCheckpoint): SignedCheckpoint {
  const { treeSize, rootHash, timestamp, signature, publicKey, note } = checkpoint;
  return { treeSize, rootHash, timestamp, signature, publicKey, note };
}
