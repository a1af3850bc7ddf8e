import { readFileSync } from 'node:fs';
import { Invalid } from '#kernel';
import { parseInTotoStatement } from '../in-toto/in-toto-statement.js';
import { readAttestationPredicate } from './attestation-predicate.js';
import { parseTestResult } from './test-result.js';
import { parseVerificationSummary } from './verification-summary.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

function pointers(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    return (e as Invalid).errors.map((f) => f.pointer);
  }
  throw new Error('expected Invalid');
}

describe('test result predicate', () => {
  it('reads the in-toto spec example', () => {
    const read = readAttestationPredicate(parseInTotoStatement(fixture('test-result-v0.1.statement.json')));
    if (read.kind !== 'test-result') throw new Error(read.kind);
    expect(read.testResult.result).toBe('PASSED');
    expect(read.testResult.passedTests).toHaveLength(13);
    expect(read.testResult.failedTests).toEqual([]);
    expect(read.testResult.url).toBe('https://github.com/in-toto/in-toto/actions/runs/4425592351');
    expect(read.testResult.configuration[0]).toMatchObject({
      name: '.github/workflows/ci.yml',
      digest: { gitBlob: 'ebe4add40f63c3c98bc9b32ff1e736f04120b023' },
    });
  });

  it('requires result and configuration, and string test names', () => {
    expect(pointers(() => parseTestResult({}))).toEqual(['/predicate/result', '/predicate/configuration']);
    expect(pointers(() => parseTestResult({ result: 'OK', configuration: [], failedTests: ['a', 3] }))).toEqual([
      '/predicate/result',
      '/predicate/failedTests/1',
    ]);
  });
});

describe('verification summary predicate', () => {
  it('reads the SLSA spec example', () => {
    const read = readAttestationPredicate(parseInTotoStatement(fixture('verification-summary-v1.statement.json')));
    if (read.kind !== 'verification-summary') throw new Error(read.kind);
    expect(read.summary).toMatchObject({
      verifierId: 'https://example.com/publication_verifier',
      timeVerified: '1985-04-12T23:20:50.520Z',
      resourceUri: 'https://example.com/example-1.2.3.tar.gz',
      verificationResult: 'PASSED',
      verifiedLevels: ['SLSA_BUILD_LEVEL_3'],
      dependencyLevels: { SLSA_BUILD_LEVEL_3: 5, SLSA_BUILD_LEVEL_2: 7, SLSA_BUILD_LEVEL_1: 1 },
      slsaVersion: '1.0',
    });
    expect(read.summary.policy.uri).toBe('https://example.com/example_tarball.policy');
  });

  it('requires every field the spec marks required', () => {
    expect(pointers(() => parseVerificationSummary({}))).toEqual([
      '/predicate/verifier',
      '/predicate/timeVerified',
      '/predicate/resourceUri',
      '/predicate/policy',
      '/predicate/verificationResult',
      '/predicate/verifiedLevels',
    ]);
    const predicate = parseInTotoStatement(fixture('verification-summary-v1.statement.json')).predicate;
    expect(
      pointers(() =>
        parseVerificationSummary({
          ...predicate,
          policy: { digest: { sha256: '12'.repeat(32) } },
          verificationResult: 'OK',
          dependencyLevels: { L1: -1 },
        }),
      ),
    ).toEqual(['/predicate/policy/uri', '/predicate/verificationResult', '/predicate/dependencyLevels/L1']);
  });
});

describe('readAttestationPredicate', () => {
  it('keeps any other predicate type as it came, listed by type', () => {
    const statement = parseInTotoStatement({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ digest: { sha256: 'ab'.repeat(32) } }],
      predicateType: 'https://cyclonedx.org/vex',
      predicate: { vulnerabilities: [] },
    });
    expect(readAttestationPredicate(statement)).toEqual({
      kind: 'other',
      predicateType: 'https://cyclonedx.org/vex',
      predicate: { vulnerabilities: [] },
    });
  });

  it('reads SLSA provenance and reports its errors under the statement’s base', () => {
    const statement = parseInTotoStatement(fixture('github-actions-workflow-v1.provenance.json'));
    expect(readAttestationPredicate(statement).kind).toBe('slsa-provenance');
    const broken = parseInTotoStatement({ ...fixture('github-actions-workflow-v1.provenance.json'), predicate: { runDetails: {} } });
    expect(pointers(() => readAttestationPredicate(broken, '/payload'))).toEqual([
      '/payload/predicate/buildDefinition',
      '/payload/predicate/runDetails/builder',
    ]);
  });
});
