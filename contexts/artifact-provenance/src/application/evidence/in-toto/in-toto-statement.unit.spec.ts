import { readFileSync } from 'node:fs';
import { Invalid } from '#kernel';
import { parseInTotoStatement, parseStatementPayload, statementNamesArtifact, STATEMENT_V0_1, STATEMENT_V1 } from './in-toto-statement.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const SHA = 'fe4fe40ac7250263c5dbe1cf3138912f3f416140aa248637a60d65fe22c47da4';
const minimal = (over: Record<string, unknown> = {}) => ({
  _type: STATEMENT_V1,
  subject: [{ name: 'app.tar', digest: { sha256: SHA } }],
  predicateType: 'https://example.com/predicate/v1',
  predicate: { anything: true },
  ...over,
});

function errorsOf(run: () => unknown): { pointer: string; message: string }[] {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    return [...(e as Invalid).errors];
  }
  throw new Error('expected Invalid');
}
const pointers = (run: () => unknown) => errorsOf(run).map((e) => e.pointer);

describe('parseInTotoStatement', () => {
  it('reads the GitHub Actions provenance example (actions/buildtypes)', () => {
    const statement = parseInTotoStatement(fixture('github-actions-workflow-v1.provenance.json'));
    expect(statement.statementType).toBe(STATEMENT_V1);
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(statement.subject).toEqual([{ name: '_', digest: { sha256: SHA } }]);
    expect(statementNamesArtifact(statement, `sha256:${SHA}`)).toBe(true);
    expect(statementNamesArtifact(statement, `sha256:${SHA.replace('f', '0')}`)).toBe(false);
    expect(statementNamesArtifact(statement, 'app:latest')).toBe(false);
  });

  it('reads the test-result example of the in-toto spec (subject by gitCommit only)', () => {
    const statement = parseInTotoStatement(fixture('test-result-v0.1.statement.json'));
    expect(statement.subject[0]).toEqual({ name: undefined, digest: { gitCommit: 'd20ace7968ba43c0219f62d71334c1095bab1602' } });
  });

  it('lower-cases hex digests of known algorithms and keeps others as given', () => {
    const statement = parseInTotoStatement(
      minimal({ subject: [{ digest: { sha256: SHA.toUpperCase(), arn: 'arn:aws:ec2:r:1:image/ami-X' } }] }),
    );
    expect(statement.subject[0]!.digest).toEqual({ sha256: SHA, arn: 'arn:aws:ec2:r:1:image/ami-X' });
  });

  it('treats an unset or null predicate as empty and ignores unknown fields', () => {
    const { predicate: _drop, ...rest } = minimal();
    expect(parseInTotoStatement({ ...rest, extension: 1 }).predicate).toEqual({});
    expect(parseInTotoStatement(minimal({ predicate: null })).predicate).toEqual({});
  });

  it('accepts v0.1 statements, whose subjects must be named', () => {
    expect(parseInTotoStatement(minimal({ _type: STATEMENT_V0_1 })).statementType).toBe(STATEMENT_V0_1);
    expect(pointers(() => parseInTotoStatement(minimal({ _type: STATEMENT_V0_1, subject: [{ digest: { sha256: SHA } }] })))).toEqual([
      '/subject/0/name',
    ]);
  });

  it('reports every bad field by JSON Pointer', () => {
    expect(pointers(() => parseInTotoStatement({}))).toEqual(['/_type', '/subject', '/predicateType']);
    expect(
      errorsOf(() =>
        parseInTotoStatement({
          _type: 'https://in-toto.io/Statement/v2',
          subject: [{ name: 'a' }, { digest: {} }, { digest: { sha256: 'abc', 'x/y': 7 } }, 'x'],
          predicateType: 'not a uri',
          predicate: [],
        }),
      ),
    ).toEqual([
      { pointer: '/_type', message: expect.stringContaining(STATEMENT_V1) },
      { pointer: '/subject/0/digest', message: 'is required' },
      { pointer: '/subject/1/digest', message: 'must hold at least one digest' },
      { pointer: '/subject/2/digest/sha256', message: 'must be 64 hex digits' },
      { pointer: '/subject/2/digest/x~1y', message: 'must be a string' },
      { pointer: '/subject/3', message: 'must be an object {name, digest}' },
      { pointer: '/predicateType', message: 'must be an absolute URI (RFC 3986)' },
      { pointer: '/predicate', message: 'must be an object' },
    ]);
    expect(pointers(() => parseInTotoStatement(minimal({ subject: [] })))).toEqual(['/subject']);
    expect(pointers(() => parseInTotoStatement('x'))).toEqual(['']);
  });

  it('puts pointers under a given base', () => {
    expect(pointers(() => parseInTotoStatement(minimal({ subject: [] }), '/payload'))).toEqual(['/payload/subject']);
  });
});

describe('parseStatementPayload', () => {
  const bytes = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

  it('reads a statement from verified payload bytes of an in-toto payload type', () => {
    expect(parseStatementPayload('application/vnd.in-toto+json', bytes(minimal())).subject).toHaveLength(1);
    expect(parseStatementPayload('application/vnd.in-toto.provenance+json', bytes(minimal())).predicateType).toBe(
      'https://example.com/predicate/v1',
    );
  });

  it('refuses other payload types, non-JSON and non-UTF-8 payloads', () => {
    expect(pointers(() => parseStatementPayload('application/json', bytes(minimal())))).toEqual(['/payloadType']);
    expect(errorsOf(() => parseStatementPayload('application/vnd.in-toto+json', Buffer.from('{"_type":')))[0]).toEqual({
      pointer: '/payload',
      message: expect.stringMatching(/^is not a JSON document/),
    });
    expect(errorsOf(() => parseStatementPayload('application/vnd.in-toto+json', Buffer.from([0x7b, 0xff, 0x7d])))).toEqual([
      { pointer: '/payload', message: 'is not UTF-8 text' },
    ]);
  });

  it('applies the edge checks the HTTP layer could not: NUL, lone surrogates, depth', () => {
    const withNul = Buffer.from(JSON.stringify(minimal({ predicate: { note: 'a\u0000b' } })), 'utf8');
    expect(pointers(() => parseStatementPayload('application/vnd.in-toto+json', withNul))).toEqual(['/payload/predicate/note']);
    const lone = Buffer.from(JSON.stringify(minimal()).replace('"app.tar"', '"\\ud800"'), 'utf8');
    expect(pointers(() => parseStatementPayload('application/vnd.in-toto+json', lone))).toEqual(['/payload/subject/0/name']);
    let deep: unknown = {};
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(errorsOf(() => parseStatementPayload('application/vnd.in-toto+json', bytes(minimal({ predicate: deep }))))[0]!.message).toMatch(
      /levels deep/,
    );
  });
});
