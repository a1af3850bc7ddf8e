import type { JsonObject } from '../json-fields.js';
import type { ResourceDescriptor } from '../in-toto/resource-descriptor.js';

/** Where a build's source came from: the facts `expectedSource` is checked against. */
export interface SourceFacts {
  /** e.g. `https://github.com/octocat/hello-world` (no `git+`, no `@ref`). */
  readonly repository: string;
  /** e.g. `refs/heads/main`; undefined when the provenance names a commit only. */
  readonly ref: string | undefined;
  /** The resolved commit (`gitCommit` digest), when the provenance records it. */
  readonly commit: string | undefined;
  readonly derivedFrom: 'workflow' | 'resolvedDependency';
}

/** Build types whose `externalParameters.workflow` is `{ref, repository, path}`: GitHub's own and the SLSA community's. */
export const GITHUB_WORKFLOW_BUILD_TYPES: readonly string[] = [
  'https://actions.github.io/buildtypes/workflow/v1',
  'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
];

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * A SPDX-download-location style git URI, `git+<repository>@<ref or commit>[#path]`, split into
 * its parts; undefined when it is not one. The ref is after the last `@` of the path, so userinfo
 * in the authority (`git+https://user@host/…`) is not mistaken for it.
 */
export function parseGitDependencyUri(uri: string): { repository: string; revision: string } | undefined {
  if (!uri.startsWith('git+')) return undefined;
  const withoutFragment = uri.slice(4).split('#', 1)[0]!;
  const schemeEnd = withoutFragment.indexOf('://');
  const pathStart = schemeEnd === -1 ? -1 : withoutFragment.indexOf('/', schemeEnd + 3);
  if (pathStart === -1) return undefined;
  const at = withoutFragment.lastIndexOf('@');
  if (at <= pathStart) return undefined;
  const repository = withoutFragment.slice(0, at);
  const revision = withoutFragment.slice(at + 1);
  return revision.length === 0 ? undefined : { repository, revision };
}

const commitOf = (dependency: ResourceDescriptor): string | undefined => {
  const commit = dependency.digest?.['gitCommit'] ?? dependency.digest?.['sha1'];
  return commit !== undefined && COMMIT.test(commit) ? commit : undefined;
};

/** Every git source among the resolved dependencies, in their order. */
export function gitSourcesOf(dependencies: readonly ResourceDescriptor[]): SourceFacts[] {
  const out: SourceFacts[] = [];
  for (const dependency of dependencies) {
    const parsed = dependency.uri === undefined ? undefined : parseGitDependencyUri(dependency.uri);
    if (parsed === undefined) continue;
    const isCommit = COMMIT.test(parsed.revision);
    out.push({
      repository: parsed.repository,
      ref: isCommit ? undefined : parsed.revision,
      commit: commitOf(dependency) ?? (isCommit ? parsed.revision : undefined),
      derivedFrom: 'resolvedDependency',
    });
  }
  return out;
}

/**
 * The build's source. For the GitHub Actions workflow build types: the workflow's repository and
 * ref, with the commit from the matching `git+<repository>@<ref>` dependency. Otherwise: the git
 * dependency, when there is exactly one repository among them (with several, which one is "the
 * source" is the build type's to say, so none is picked).
 */
export function deriveSource(
  buildType: string,
  externalParameters: JsonObject,
  dependencies: readonly ResourceDescriptor[],
): SourceFacts | undefined {
  const git = gitSourcesOf(dependencies);
  const workflow = externalParameters['workflow'];
  if (GITHUB_WORKFLOW_BUILD_TYPES.includes(buildType) && typeof workflow === 'object' && workflow !== null) {
    const { repository, ref } = workflow as { repository?: unknown; ref?: unknown };
    if (typeof repository === 'string' && typeof ref === 'string') {
      const match = git.find((s) => sameRepository(s.repository, repository) && s.ref === ref);
      return { repository, ref, commit: match?.commit, derivedFrom: 'workflow' };
    }
  }
  const repositories = new Set(git.map((s) => normalizeRepository(s.repository)));
  return repositories.size === 1 ? git[0] : undefined;
}

/**
 * A repository URI in one spelling for comparison: scheme and host lower-cased (RFC 3986
 * case-insensitive parts), without `git+`, a trailing `/` or `.git`. The path keeps its case:
 * some hosts tell `Org/Repo` from `org/repo`.
 */
export function normalizeRepository(uri: string): string {
  let s = uri.startsWith('git+') ? uri.slice(4) : uri;
  s = s.replace(/\/+$/, '').replace(/\.git$/, '');
  const schemeEnd = s.indexOf('://');
  if (schemeEnd === -1) return s;
  const pathStart = s.indexOf('/', schemeEnd + 3);
  const authorityEnd = pathStart === -1 ? s.length : pathStart;
  return s.slice(0, authorityEnd).toLowerCase() + s.slice(authorityEnd);
}

export const sameRepository = (a: string, b: string): boolean => normalizeRepository(a) === normalizeRepository(b);

/**
 * Whether a provenance ref satisfies the expected one: equal, or the expected short branch name
 * (`main`) for `refs/heads/main`. A short name never matches a tag, so a tag called like a
 * protected branch cannot pass for it.
 */
export const refMatches = (expected: string, actual: string | undefined): boolean =>
  actual !== undefined && (actual === expected || (!expected.startsWith('refs/') && actual === `refs/heads/${expected}`));
