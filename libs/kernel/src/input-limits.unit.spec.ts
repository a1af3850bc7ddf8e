import {
  EARLIEST_INSTANT_MS,
  exceedsBytes,
  instantProblem,
  LATEST_INSTANT_MS,
  MAX_IDENTIFIER_BYTES,
  utf8ByteLength,
} from './input-limits.js';

describe('utf8ByteLength', () => {
  it('counts UTF-8 bytes as Buffer does', () => {
    for (const s of ['', 'abc', 'é', 'ü€', '😀', 'a😀é€\u07ff\u0800\uffff', '\u{10ffff}'])
      expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });
});

describe('exceedsBytes', () => {
  it('bounds identifiers in UTF-8 bytes: 1,024 ASCII characters, fewer of other scripts', () => {
    expect(MAX_IDENTIFIER_BYTES).toBe(1024);
    expect(exceedsBytes('a'.repeat(1024))).toBe(false);
    expect(exceedsBytes('a'.repeat(1025))).toBe(true);
    expect(exceedsBytes('€'.repeat(341))).toBe(false); // 1,023 bytes
    expect(exceedsBytes('€'.repeat(342))).toBe(true); // 1,026 bytes in 342 characters
    expect(exceedsBytes('😀'.repeat(256))).toBe(false); // 1,024 bytes
    expect(exceedsBytes('😀'.repeat(256) + 'a')).toBe(true);
  });
});

describe('instantProblem', () => {
  it('accepts 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, whatever the offset', () => {
    expect(new Date(EARLIEST_INSTANT_MS).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date(LATEST_INSTANT_MS).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    for (const ok of [
      '1970-01-01T00:00:00Z',
      '1970-01-01T01:00:00+01:00',
      '2024-05-01T12:00:00.123456Z',
      '9999-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59+01:00',
    ]) {
      expect([ok, instantProblem(ok)]).toEqual([ok, undefined]);
    }
  });

  it('refuses instants no reader can hold, and says why', () => {
    for (const bad of ['0000-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00']) {
      expect([bad, instantProblem(bad)]).toEqual([
        bad,
        expect.stringContaining('between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z'),
      ]);
    }
    expect(instantProblem('2016-12-31T23:59:60Z')).toMatch(/leap second/);
  });
});
