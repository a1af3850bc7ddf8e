import { compareCursors, makeCursor, parseCursor, START } from './cursor.js';

describe('cursor', () => {
  it('orders by major part first, then minor part', () => {
    expect(compareCursors('2:1', '1:99')).toBe(1);
    expect(compareCursors('1:2', '1:10')).toBe(-1);
    expect(compareCursors(makeCursor(7n, 3), '7:3')).toBe(0);
    expect(compareCursors(START, '0:1')).toBe(-1);
  });

  it('handles transaction ids beyond 2^53', () => {
    const big = '18446744073709551615';
    expect(parseCursor(`${big}:1`)[0]).toBe(18446744073709551615n);
    expect(compareCursors(`${big}:1`, '9007199254740993:1')).toBe(1);
  });

  it('rejects malformed cursors', () => {
    expect(() => parseCursor('abc')).toThrow(RangeError);
    expect(() => parseCursor('1:-2')).toThrow(RangeError);
  });
});
