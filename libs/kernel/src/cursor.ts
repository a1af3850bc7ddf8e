/**
 * A subscription cursor: "<major>:<minor>", two non-negative integers compared in order.
 * PostgreSQL stores use (transaction id, global position); KurrentDB uses (commit, prepare).
 * Keeping it a string lets checkpoints be stored anywhere without knowing the adapter.
 */
export type Cursor = string;

export const START: Cursor = '0:0';

export function makeCursor(major: bigint | number | string, minor: bigint | number | string): Cursor {
  return `${BigInt(major)}:${BigInt(minor)}`;
}

export function parseCursor(cursor: Cursor): [bigint, bigint] {
  const match = /^(\d+):(\d+)$/.exec(cursor);
  if (!match) throw new RangeError(`invalid cursor "${cursor}"`);
  return [BigInt(match[1]!), BigInt(match[2]!)];
}

export function compareCursors(a: Cursor, b: Cursor): number {
  const [a1, a2] = parseCursor(a);
  const [b1, b2] = parseCursor(b);
  if (a1 !== b1) return a1 < b1 ? -1 : 1;
  if (a2 !== b2) return a2 < b2 ? -1 : 1;
  return 0;
}
