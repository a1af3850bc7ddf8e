import { checkSemanticVersion } from './semantic-version-check.js';
import { missingLabels } from './required-labels-check.js';

describe('checkSemanticVersion', () => {
  it('passes SemVer 2.0.0 versions, with pre-release and build metadata', () => {
    for (const version of ['1.4.0', '0.0.1', '10.20.30', '1.0.0-alpha.1', '1.0.0-rc.1+build.5', '2.0.0+20240501.sha.5114f85']) {
      expect(checkSemanticVersion(version)).toEqual({ name: 'semantic-version', passed: true, reason: `${version} is a semantic version` });
    }
  });

  it('refuses a tag (leading v), saying which version it names', () => {
    expect(checkSemanticVersion('v1.2.3')).toEqual({
      name: 'semantic-version',
      passed: false,
      reason: 'v1.2.3 is a tag; the version is 1.2.3',
    });
    expect(checkSemanticVersion('V2.0.0-beta.1').reason).toBe('V2.0.0-beta.1 is a tag; the version is 2.0.0-beta.1');
  });

  it('refuses what SemVer does not allow, even where the semver package is lenient', () => {
    for (const version of [
      '1.2',
      '1',
      '01.2.3',
      '1.02.3',
      '1.2.3-01',
      '1.2.3-',
      '=1.2.3',
      ' 1.2.3',
      '1.2.3 ',
      'vv1.2.3',
      'v1.2',
      'latest',
      '',
    ]) {
      const check = checkSemanticVersion(version);
      expect(check.passed).toBe(false);
      expect(check.reason).toBe(
        `${JSON.stringify(version)} is not a semantic version: expected MAJOR.MINOR.PATCH with optional -pre-release and +build (SemVer 2.0.0)`,
      );
    }
  });

  it('cuts a very long text in the reason', () => {
    const { passed, reason } = checkSemanticVersion('x'.repeat(10_000));
    expect(passed).toBe(false);
    expect(reason.length).toBeLessThan(200);
  });
});

describe('missingLabels', () => {
  const required = ['org.opencontainers.image.source', 'org.opencontainers.image.revision'] as const;

  it('passes when every required label has a value', () => {
    const labels = {
      'org.opencontainers.image.source': 'https://github.com/acme/app',
      'org.opencontainers.image.revision': '5114f85',
      other: '',
    };
    expect(missingLabels(labels, required)).toEqual({
      name: 'required-labels',
      passed: true,
      missing: [],
      reason: 'all 2 required labels are set: org.opencontainers.image.source, org.opencontainers.image.revision',
    });
  });

  it('names the absent, empty and blank ones, in the order required', () => {
    const check = missingLabels({ 'org.opencontainers.image.revision': ' ', 'org.opencontainers.image.version': '1.4.0' }, [
      ...required,
      'org.opencontainers.image.version',
      'org.opencontainers.image.licenses',
    ]);
    expect(check.passed).toBe(false);
    expect(check.missing).toEqual([
      'org.opencontainers.image.source',
      'org.opencontainers.image.revision',
      'org.opencontainers.image.licenses',
    ]);
    expect(check.reason).toBe(
      'missing labels: org.opencontainers.image.source, org.opencontainers.image.revision, org.opencontainers.image.licenses',
    );
    expect(missingLabels({ 'org.opencontainers.image.source': '' }, required).missing).toEqual([...required]);
  });

  it('counts only the labels own keys, and names a label required twice once', () => {
    const inherited = Object.create({ 'org.opencontainers.image.source': 'https://example.com/inherited' }) as Record<string, string>;
    expect(missingLabels(inherited, required).missing).toEqual([...required]);
    expect(missingLabels({}, ['constructor', 'toString', 'constructor']).missing).toEqual(['constructor', 'toString']);
  });

  it('compares names exactly', () => {
    expect(missingLabels({ 'Org.OpenContainers.Image.Source': 'x' }, required.slice(0, 1)).passed).toBe(false);
  });

  it('passes when nothing is required', () => {
    expect(missingLabels({}, [])).toEqual({ name: 'required-labels', passed: true, missing: [], reason: 'no labels are required' });
  });
});
