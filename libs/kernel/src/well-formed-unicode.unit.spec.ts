import { DEPTH_MESSAGE, MAX_JSON_DEPTH, unstorableJson } from './well-formed-unicode.js';

describe('unstorableJson', () => {
  it('finds lone surrogates in values and member names, at their JSON pointers', () => {
    const value = JSON.parse('{"a": ["ok", "x\\ud800"], "b/c": {"\\udc00~": 1}, "d": "\\udbff"}') as unknown;
    expect(unstorableJson(value).map((e) => e.pointer)).toEqual(['/a/1', '/b~1c/\udc00~0', '/d']);
    expect(unstorableJson(value, '/data')[0]!.pointer).toBe('/data/a/1');
  });

  it('accepts well-formed text, surrogate pairs included', () => {
    expect(unstorableJson({ emoji: '😀 \ud83d\ude00', nested: [{ é: 'ü' }], n: 1, t: true, z: null })).toEqual([]);
  });

  it('finds NUL in values and member names, at their JSON pointers', () => {
    const value = JSON.parse('{"a": {"pipelineName": "x\\u0000y"}, "b": ["ok", "\\u0000"], "c\\u0000": 1, "d": "\\\\u0000"}') as unknown;
    expect(unstorableJson(value)).toEqual([
      { pointer: '/a/pipelineName', message: expect.stringMatching(/NUL/) },
      { pointer: '/b/1', message: expect.stringMatching(/NUL/) },
      { pointer: '/c\u0000', message: expect.stringMatching(/^member name must not contain NUL/) },
    ]);
  });

  it('reports at most ten', () => {
    expect(unstorableJson(Array.from({ length: 50 }, () => '\ud800'))).toHaveLength(10);
  });
});

describe('unstorableJson on what is not parsed JSON', () => {
  it('does not walk a Buffer byte by byte', () => {
    expect(unstorableJson(Buffer.from('{"a":"\\ud800"}'))).toEqual([]);
  });
});

describe('unstorableJson nesting', () => {
  const nested = (levels: number): unknown => {
    let v: unknown = 'leaf';
    for (let i = 0; i < levels; i++) v = i % 2 === 0 ? { a: v } : [v];
    return v;
  };

  it(`accepts ${MAX_JSON_DEPTH} levels of arrays and objects and refuses one more, at the pointer where it goes too deep`, () => {
    expect(unstorableJson(nested(MAX_JSON_DEPTH))).toEqual([]);
    const errors = unstorableJson(nested(MAX_JSON_DEPTH + 1), '/data');
    expect(errors).toEqual([{ pointer: expect.stringMatching(/^\/data(\/(a|0)){64}$/) as unknown, message: DEPTH_MESSAGE }]);
  });

  it('refuses 100,000 levels quickly without overflowing the stack', () => {
    expect(unstorableJson(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)))).toHaveLength(1);
  });
});
