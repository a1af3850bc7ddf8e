import canonicalize from 'canonicalize';
import { HashBlock, rfc6962 } from '#transparency-log';

/**
 * The fields of a stored event that the audit log commits to. `RecordedEvent` from the kernel
 * satisfies it; the store-specific `cursor` is deliberately left out so that a log sealed on one
 * adapter verifies after migrating the rows to another.
 */
export interface LeafEvent {
  readonly position: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: object;
  readonly metadata: object;
  readonly recordedAt: string;
}

/**
 * Leaf format, version 1 — offline verifiers must reproduce these bytes exactly.
 *
 * A leaf is the UTF-8 encoding of the RFC 8785 (JCS) canonical JSON of this object:
 *
 *     {
 *       "position":   <event.position, integer>,
 *       "eventId":    <event.eventId, string>,
 *       "stream":     { "id": <event.streamId, string>, "version": <event.streamVersion, integer> },
 *       "type":       <event.type, string>,
 *       "data":       <event.data, JSON object>,
 *       "metadata":   <event.metadata, JSON object>,
 *       "recordedAt": <event.recordedAt, RFC 3339 string exactly as stored>
 *     }
 *
 * JCS sorts keys by UTF-16 code units, so the bytes start `{"data":…,"eventId":…,"metadata":…,
 * "position":…,"recordedAt":…,"stream":{"id":…,"version":…},"type":…}` with no whitespace.
 * Members whose value is `undefined` are omitted (as JSON.stringify does), so an event that went
 * through a JSON column canonicalises the same before and after. No other fields are included.
 * The leaf hash is SHA-256(0x00 || leaf) (RFC 6962 §2.1).
 */
export function canonicalLeafJson(event: LeafEvent): string {
  checkLeafEvent(event);
  const leaf = {
    position: event.position,
    eventId: event.eventId,
    stream: { id: event.streamId, version: event.streamVersion },
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  };
  // Throws on NaN/Infinity, lone surrogates and cycles, so the result is always well-formed.
  const json = canonicalize(leaf);
  if (json === undefined) throw new TypeError('event is not JSON-serialisable');
  return json;
}

/** The leaf bytes: UTF-8 of `canonicalLeafJson(event)`. */
export function canonicalLeaf(event: LeafEvent): Uint8Array {
  return new Uint8Array(Buffer.from(canonicalLeafJson(event), 'utf8'));
}

/** SHA-256(0x00 || canonicalLeaf(event)). */
export function leafHashOfEvent(event: LeafEvent): Uint8Array {
  const block = new HashBlock(1);
  rfc6962.leaf(canonicalLeafJson(event), block, 0);
  return block.bytes;
}

function checkLeafEvent(event: LeafEvent): void {
  if (!isCount(event.position)) throw new TypeError('event.position must be a non-negative safe integer');
  if (!isCount(event.streamVersion)) throw new TypeError('event.streamVersion must be a non-negative safe integer');
  for (const key of ['eventId', 'streamId', 'type', 'recordedAt'] as const) {
    if (typeof event[key] !== 'string') throw new TypeError(`event.${key} must be a string`);
  }
  for (const key of ['data', 'metadata'] as const) {
    const value: unknown = event[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TypeError(`event.${key} must be a JSON object`);
    }
  }
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
