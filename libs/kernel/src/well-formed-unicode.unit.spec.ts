import { illFormedStrings } from './well-formed-unicode.js';

describe('illFormedStrings', () => {
  it('finds lone surrogates in values and member names, at their JSON pointers', () => {
    const value = JSON.parse('{"a": ["ok", "x\\ud800"], "b/c": {"\\udc00~": 1}, "d": "\\udbff"}') as unknown;
    expect(illFormedStrings(value).map((e) => e.pointer)).toEqual(['/a/1', '/b~1c/\udc00~0', '/d']);
    expect(illFormedStrings(value, '/data')[0]!.pointer).toBe('/data/a/1');
  });

  it('accepts well-formed text, surrogate pairs included', () => {
    expect(illFormedStrings({ emoji: '😀 \ud83d\ude00', nested: [{ é: 'ü' }], n: 1, t: true, z: null })).toEqual([]);
  });

  it('finds NUL in values and member names, at their JSON pointers', () => {
    const value = JSON.parse('{"a": {"pipelineName": "x\\u0000y"}, "b": ["ok", "\\u0000"], "c\\u0000": 1, "d": "\\\\u0000"}') as unknown;
    expect(illFormedStrings(value)).toEqual([
      { pointer: '/a/pipelineName', message: expect.stringMatching(/NUL/) },
      { pointer: '/b/1', message: expect.stringMatching(/NUL/) },
      { pointer: '/c\u0000', message: expect.stringMatching(/^member name must not contain NUL/) },
    ]);
  });

  it('reports at most ten', () => {
    expect(illFormedStrings(Array.from({ length: 50 }, () => '\ud800'))).toHaveLength(10);
  });
});

describe('illFormedStrings on what is not parsed JSON', () => {
  it('does not walk a Buffer byte by byte', () => {
    expect(illFormedStrings(Buffer.from('{"a":"\\ud800"}'))).toEqual([]);
  });
});
