import { readFileSync } from 'node:fs';
import { Invalid } from '#kernel';
import { parseInTotoStatement } from '../in-toto/in-toto-statement.js';
import { parseSlsaProvenance } from './slsa-provenance.js';
import { normalizeRepository, parseGitDependencyUri, refMatches, sameRepository } from './source-facts.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const predicateOf = (name: string) => parseInTotoStatement(fixture(name)).predicate;

const COMMIT = 'c27d339ee6075c1f744c5d4b200f7901aad2c369';

function generic(over: Record<string, unknown> = {}) {
  return {
    buildDefinition: {
      buildType: 'https://example.com/build/v1',
      externalParameters: { target: '//app' },
      resolvedDependencies: [
        { uri: 'git+https://git.example.com/team/app.git@refs/tags/v1.2.0', digest: { gitCommit: COMMIT } },
        { uri: 'pkg:npm/left-pad@1.3.0', digest: { sha512: 'ab'.repeat(64) } },
      ],
    },
    runDetails: {
      builder: { id: 'https://ci.example.com/builders/hosted', version: { runner: '2.1' } },
      metadata: { invocationId: 'run-42', startedOn: '2024-05-01T10:00:00+02:00', finishedOn: '2024-05-01T08:05:00.5Z' },
      byproducts: [{ name: 'log', uri: 'https://ci.example.com/run-42/log' }],
    },
    ...over,
  };
}

function pointers(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    return (e as Invalid).errors.map((f) => f.pointer);
  }
  throw new Error('expected Invalid');
}

describe('parseSlsaProvenance', () => {
  it('reads GitHub’s own workflow build type example: source from externalParameters.workflow, commit from the dependency', () => {
    const provenance = parseSlsaProvenance(predicateOf('github-actions-workflow-v1.provenance.json'));
    expect(provenance.buildType).toBe('https://actions.github.io/buildtypes/workflow/v1');
    expect(provenance.builder.id).toBe('https://github.com/octocat/builders/.github/workflows/builder_go_slsa3.yml@refs/tags/v1.0.0');
    expect(provenance.metadata.invocationId).toBe('https://github.com/octocat/hello-world/actions/runs/1536140711/attempts/1');
    expect(provenance.internalParameters).toEqual({
      github: {
        event_name: 'workflow_dispatch',
        repository_id: '1296269',
        repository_owner_id: '583231',
        runner_environment: 'github-hosted',
      },
    });
    expect(provenance.source).toEqual({
      repository: 'https://github.com/octocat/hello-world',
      ref: 'refs/heads/main',
      commit: COMMIT,
      derivedFrom: 'workflow',
    });
  });

  it('reads the SLSA community GitHub Actions build type example, with start time and a dependency without digest', () => {
    const provenance = parseSlsaProvenance(predicateOf('slsa-github-actions-workflow-v1.provenance.json'));
    expect(provenance.metadata).toEqual({
      invocationId: 'https://github.com/octocat/hello-world/actions/runs/1536140711/attempts/1',
      startedOn: '2023-01-01T12:34:56.000Z',
      finishedOn: undefined,
    });
    expect(provenance.externalParameters['vars']).toEqual({ MASCOT: 'Mona' });
    expect(provenance.resolvedDependencies).toHaveLength(2);
    expect(provenance.resolvedDependencies[1]!.digest).toBeUndefined();
    expect(provenance.source?.commit).toBe(COMMIT);
  });

  it('derives the source of other build types from their one git dependency, and normalises times to UTC', () => {
    const provenance = parseSlsaProvenance(generic());
    expect(provenance.source).toEqual({
      repository: 'https://git.example.com/team/app.git',
      ref: 'refs/tags/v1.2.0',
      commit: COMMIT,
      derivedFrom: 'resolvedDependency',
    });
    expect(provenance.metadata.startedOn).toBe('2024-05-01T08:00:00.000Z');
    expect(provenance.metadata.finishedOn).toBe('2024-05-01T08:05:00.500Z');
    expect(provenance.builder.version).toEqual({ runner: '2.1' });
    expect(provenance.byproducts[0]!.name).toBe('log');
  });

  it('gives builder and times but no source when an unknown build type has several repositories or none', () => {
    const two = generic();
    two.buildDefinition.resolvedDependencies.push({
      uri: 'git+https://git.example.com/team/lib@refs/heads/main',
      digest: { gitCommit: COMMIT },
    });
    const provenance = parseSlsaProvenance(two);
    expect(provenance.source).toBeUndefined();
    expect(provenance.gitSources.map((s) => s.repository)).toEqual([
      'https://git.example.com/team/app.git',
      'https://git.example.com/team/lib',
    ]);
    expect(provenance.builder.id).toBe('https://ci.example.com/builders/hosted');
    const none = generic();
    none.buildDefinition.resolvedDependencies = [];
    expect(parseSlsaProvenance(none).source).toBeUndefined();
  });

  it('takes a commit pinned in the URI itself as the commit', () => {
    const pinned = generic();
    pinned.buildDefinition.resolvedDependencies = [
      { uri: `git+https://git.example.com/team/app@${COMMIT}`, digest: { sha512: 'ab'.repeat(64) } },
    ];
    expect(parseSlsaProvenance(pinned).source).toEqual({
      repository: 'https://git.example.com/team/app',
      ref: undefined,
      commit: COMMIT,
      derivedFrom: 'resolvedDependency',
    });
  });

  it('requires what SLSA Build L1 requires', () => {
    expect(pointers(() => parseSlsaProvenance({}))).toEqual(['/predicate/buildDefinition', '/predicate/runDetails']);
    expect(pointers(() => parseSlsaProvenance({ buildDefinition: {}, runDetails: { builder: {} } }))).toEqual([
      '/predicate/buildDefinition/buildType',
      '/predicate/buildDefinition/externalParameters',
      '/predicate/runDetails/builder/id',
    ]);
  });

  it('reports malformed fields, instants outside the ledger’s range and an end before the start', () => {
    const bad = generic();
    Object.assign(bad.runDetails.metadata, { startedOn: '1969-12-31T23:59:59Z', finishedOn: 'yesterday' });
    Object.assign(bad.runDetails.builder, { version: { runner: 2 } });
    bad.buildDefinition.resolvedDependencies.push({ name: 'nothing to point at' } as never);
    expect(pointers(() => parseSlsaProvenance(bad))).toEqual([
      '/predicate/buildDefinition/resolvedDependencies/2',
      '/predicate/runDetails/builder/version/runner',
      '/predicate/runDetails/metadata/startedOn',
      '/predicate/runDetails/metadata/finishedOn',
    ]);
    const backwards = generic();
    Object.assign(backwards.runDetails.metadata, { startedOn: '2024-05-01T09:00:00Z', finishedOn: '2024-05-01T08:00:00Z' });
    expect(pointers(() => parseSlsaProvenance(backwards))).toEqual(['/predicate/runDetails/metadata/finishedOn']);
  });

  it('requires workflow {ref, repository, path} of the GitHub workflow build types', () => {
    const predicate = predicateOf('github-actions-workflow-v1.provenance.json') as { buildDefinition: { externalParameters: unknown } };
    predicate.buildDefinition.externalParameters = { workflow: { ref: 'main', repository: 'github.com/octocat/hello-world' } };
    expect(pointers(() => parseSlsaProvenance(predicate as never))).toEqual([
      '/predicate/buildDefinition/externalParameters/workflow/ref',
      '/predicate/buildDefinition/externalParameters/workflow/repository',
      '/predicate/buildDefinition/externalParameters/workflow/path',
    ]);
  });
});

describe('source facts', () => {
  it('splits git dependency URIs at the revision, not at userinfo', () => {
    expect(parseGitDependencyUri('git+https://github.com/o/r@refs/heads/main')).toEqual({
      repository: 'https://github.com/o/r',
      revision: 'refs/heads/main',
    });
    expect(parseGitDependencyUri('git+ssh://git@host.example/o/r.git@v1#sub/dir')).toEqual({
      repository: 'ssh://git@host.example/o/r.git',
      revision: 'v1',
    });
    expect(parseGitDependencyUri('git+ssh://git@host.example/o/r.git')).toBeUndefined();
    expect(parseGitDependencyUri('https://github.com/o/r@refs/heads/main')).toBeUndefined();
  });

  it('compares repositories in one spelling', () => {
    expect(normalizeRepository('git+HTTPS://GitHub.com/Octo/Repo.git/')).toBe('https://github.com/Octo/Repo');
    expect(sameRepository('https://github.com/octo/repo', 'git+https://github.com/octo/repo.git')).toBe(true);
    expect(sameRepository('https://github.com/octo/repo', 'https://github.com/octo/repo2')).toBe(false);
  });

  it('matches refs exactly, or a short branch name, never a tag by short name', () => {
    expect(refMatches('refs/heads/main', 'refs/heads/main')).toBe(true);
    expect(refMatches('main', 'refs/heads/main')).toBe(true);
    expect(refMatches('main', 'refs/tags/main')).toBe(false);
    expect(refMatches('refs/heads/main', 'refs/heads/main-2')).toBe(false);
    expect(refMatches('main', undefined)).toBe(false);
  });
});
