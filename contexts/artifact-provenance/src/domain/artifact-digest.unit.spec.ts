import { createHash } from 'node:crypto';
import { artifactDigestProblem, digestSetNamesArtifact, normalizeArtifactDigest, parseArtifactDigest } from './artifact-digest.js';

const sha256 = createHash('sha256').update('artifact').digest('hex');
const sha512 = createHash('sha512').update('artifact').digest('hex');

describe('artifact digests', () => {
  it('parses sha256 and sha512 digests and normalises them to lower case', () => {
    expect(parseArtifactDigest(`sha256:${sha256}`)).toEqual({ algorithm: 'sha256', hex: sha256 });
    expect(parseArtifactDigest(`sha512:${sha512}`)).toEqual({ algorithm: 'sha512', hex: sha512 });
    expect(normalizeArtifactDigest(`SHA256:${sha256.toUpperCase()}`)).toBe(`sha256:${sha256}`);
  });

  it('refuses tags, names and other algorithms with a reason', () => {
    expect(artifactDigestProblem('registry.example.com/app:1.2.3')).toMatch(/uses "registry.example.com\/app"/);
    expect(artifactDigestProblem('latest')).toMatch(/not a tag/);
    expect(artifactDigestProblem(`md5:${createHash('md5').update('x').digest('hex')}`)).toMatch(/uses "md5"/);
    expect(artifactDigestProblem(`sha256:${sha256.slice(1)}`)).toBe('must have 64 hex digits after "sha256:"');
    expect(artifactDigestProblem(`sha256:${sha256.slice(1)}g`)).toBe('must have 64 hex digits after "sha256:"');
    expect(artifactDigestProblem(`sha512:${sha256}`)).toBe('must have 128 hex digits after "sha512:"');
    expect(parseArtifactDigest(`sha256:${sha256}:extra`)).toBeUndefined();
    expect(parseArtifactDigest(`sha256:${sha256}`)).toBeDefined();
  });

  it('matches an in-toto digest set only by the artifact digest’s own algorithm', () => {
    const artifact = parseArtifactDigest(`sha256:${sha256}`)!;
    expect(digestSetNamesArtifact({ sha256 }, artifact)).toBe(true);
    expect(digestSetNamesArtifact({ sha256: sha256.toUpperCase(), sha512: 'ignored' }, artifact)).toBe(true);
    expect(digestSetNamesArtifact({ sha512 }, artifact)).toBe(false);
    expect(digestSetNamesArtifact({ sha256: sha256.slice(0, 63) }, artifact)).toBe(false);
    expect(digestSetNamesArtifact({ gitCommit: sha256 }, artifact)).toBe(false);
    expect(digestSetNamesArtifact({}, artifact)).toBe(false);
  });

  it('is not fooled by inherited members of the digest set', () => {
    const artifact = parseArtifactDigest(`sha256:${sha256}`)!;
    const set = Object.create({ sha256 }) as Record<string, string>;
    expect(digestSetNamesArtifact(set, artifact)).toBe(false);
  });
});
