import type { RecordedEvent } from '#kernel';
import { createHash } from 'node:crypto';
import { canonicalLeaf, canonicalLeafJson, leafHashOfEvent } from './canonical-leaf.js';
import { toHex, leafHashOf } from '#transparency-log';

const event: RecordedEvent = {
  position: 42,
  cursor: '0000000000000007:0000000042',
  eventId: 'evt-1',
  streamId: 'approval-7',
  streamVersion: 3,
  type: 'ApprovalGranted',
  data: { reviewer: 'alice', comment: 'LGTM ✓ 😀', count: 2, big: 1e21, negZero: -0, nested: { z: 1, a: [true, null, 'x'] } },
  metadata: { actor: 'alice', correlationId: 'c-1', causationId: undefined, occurredAt: '2025-01-02T03:04:05.000Z' },
  recordedAt: '2025-01-02T03:04:05.678Z',
};

const EXPECTED =
  '{"data":{"big":1e+21,"comment":"LGTM ✓ 😀","count":2,"negZero":0,"nested":{"a":[true,null,"x"],"z":1},' +
  '"reviewer":"alice"},"eventId":"evt-1","metadata":{"actor":"alice","correlationId":"c-1",' +
  '"occurredAt":"2025-01-02T03:04:05.000Z"},"position":42,"recordedAt":"2025-01-02T03:04:05.678Z",' +
  '"stream":{"id":"approval-7","version":3},"type":"ApprovalGranted"}';

describe('canonical leaf (format v1)', () => {
  it('is the RFC 8785 canonical JSON of the documented object, without the store cursor', () => {
    expect(canonicalLeafJson(event)).toBe(EXPECTED);
  });

  it('is encoded as UTF-8 bytes', () => {
    expect(Buffer.from(canonicalLeaf(event)).equals(Buffer.from(EXPECTED, 'utf8'))).toBe(true);
  });

  it('hashes as SHA-256(0x00 || leaf bytes)', () => {
    const expected = createHash('sha256').update(Uint8Array.of(0)).update(EXPECTED, 'utf8').digest('hex');
    expect(toHex(leafHashOfEvent(event))).toBe(expected);
    expect(toHex(leafHashOf(canonicalLeaf(event)))).toBe(expected);
  });

  it('does not depend on key order or on a JSON round trip', () => {
    const reordered = JSON.parse(JSON.stringify({ ...event, metadata: { ...event.metadata }, data: { ...event.data } }));
    expect(canonicalLeafJson(reordered)).toBe(EXPECTED);
  });

  it('changes with every committed field', () => {
    const variants = [
      { position: 43 },
      { eventId: 'evt-2' },
      { streamId: 'approval-8' },
      { streamVersion: 4 },
      { type: 'ApprovalRejected' },
      { data: { ...event.data, count: 3 } },
      { metadata: { ...event.metadata, actor: 'mallory' } },
      { recordedAt: '2025-01-02T03:04:05.679Z' },
    ];
    for (const change of variants) expect(canonicalLeafJson({ ...event, ...change })).not.toBe(EXPECTED);
    const migrated: RecordedEvent = { ...event, cursor: 'another-store:1' };
    expect(canonicalLeafJson(migrated)).toBe(EXPECTED);
  });

  it('rejects events that have no single canonical form', () => {
    expect(() => canonicalLeafJson({ ...event, position: -1 })).toThrow(TypeError);
    expect(() => canonicalLeafJson({ ...event, position: 1.5 })).toThrow(TypeError);
    expect(() => canonicalLeafJson({ ...event, streamVersion: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalLeafJson({ ...event, type: 7 as unknown as string })).toThrow(TypeError);
    expect(() => canonicalLeafJson({ ...event, data: [] })).toThrow(TypeError);
    expect(() => canonicalLeafJson({ ...event, data: { n: Number.POSITIVE_INFINITY } })).toThrow();
    expect(() => canonicalLeafJson({ ...event, data: { s: 'a\uDC00' } })).toThrow();
  });
});
