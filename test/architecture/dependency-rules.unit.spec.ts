import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ICruiseResult } from 'dependency-cruiser';

/**
 * The rules of .dependency-cruiser.cjs, tested on a small tree that mirrors the repository's layout
 * (same package.json `imports`, same tsconfig): every import in `allowed` must pass, and each
 * import in `planted` must be reported by exactly its rule. One cruise covers all of them. It runs the
 * same command line as `npm run lint`, in a child process (dependency-cruiser loads the TypeScript
 * compiler, which is far slower to load through Jest's module system than through Node's).
 */
const root = resolve(import.meta.dirname, '../..');
const configFile = join(root, '.dependency-cruiser.cjs');
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** Files that break no rule: the normal shape of each layer. Keys are paths, values the modules each imports. */
const allowed: Record<string, string[]> = {
  'libs/kernel/src/index.ts': ['./clock.js', 'node:crypto'],
  'libs/kernel/src/clock.ts': [],
  'libs/contracts/src/index.ts': ['#kernel'],
  'libs/cdevents/src/index.ts': ['#kernel', 'left-pad'],
  'libs/transparency-log/src/index.ts': ['./tree.js', 'node:crypto'],
  'libs/transparency-log/src/tree.ts': ['node:crypto'],
  'libs/event-store/src/index.ts': ['#kernel', '#contracts'],
  'libs/event-store/src/adapters.ts': ['./index.js', 'left-pad'],
  'libs/messaging/src/index.ts': ['#event-store', '#contracts', '#kernel'],
  'libs/messaging/src/adapters.ts': ['./index.js', '#event-store/adapters', 'left-pad'],
  'libs/platform/src/index.ts': ['#messaging', '#event-store', '#kernel', '@nestjs/common'],
  'libs/testing/src/index.ts': ['#event-store/adapters', '#messaging/adapters', '#kernel'],
  // A spec file may use the test helpers: specs are not cruised at all.
  'libs/kernel/src/clock.unit.spec.ts': ['#testing'],
  'contexts/alpha/src/domain/alpha.decider.ts': ['#kernel', './alpha-rules.js'],
  'contexts/alpha/src/domain/alpha-rules.ts': ['#kernel'],
  'contexts/alpha/src/application/alpha.handler.ts': [
    '../domain/alpha.decider.js',
    '#platform',
    '#event-store',
    '#contracts',
    '@nestjs/common',
  ],
  'contexts/alpha/src/read-models/alpha.projection.ts': ['#platform', '#event-store', '../domain/alpha.decider.js'],
  'contexts/alpha/src/alpha.integration-events.ts': ['#contracts', './domain/alpha.decider.js'],
  'contexts/alpha/src/alpha.module.ts': [
    '@nestjs/common',
    '#event-store/adapters',
    '#messaging/adapters',
    './application/alpha.handler.js',
    './read-models/alpha.projection.js',
    './alpha.integration-events.js',
  ],
  'contexts/alpha/src/cli/alpha-cli.ts': ['#event-store/adapters', '../application/alpha.handler.js'],
  'contexts/alpha/src/index.ts': ['./alpha.module.js'],
  'contexts/beta/src/index.ts': ['#contracts', '#platform'],
  'apps/alpha/src/main.ts': [
    '#platform',
    '#messaging/adapters',
    '../../../contexts/alpha/src/index.js',
    '../../../contexts/beta/src/index.js',
  ],
};

/** One file per planted violation: the rule that must report it, the import, and the file that import resolves to. */
const planted: { rule: string; from: string; imports: string; to: string }[] = [
  {
    rule: 'domain-imports-only-kernel',
    from: 'contexts/alpha/src/domain/platform-peek.ts',
    imports: '#platform',
    to: 'libs/platform/src/index.ts',
  },
  {
    rule: 'domain-imports-only-kernel',
    from: 'contexts/alpha/src/domain/nest-peek.ts',
    imports: '@nestjs/common',
    to: 'node_modules/@nestjs/common/index.js',
  },
  {
    rule: 'no-cross-context-imports',
    from: 'contexts/alpha/src/application/beta-peek.ts',
    imports: '../../../beta/src/index.js',
    to: 'contexts/beta/src/index.ts',
  },
  {
    rule: 'nothing-imports-apps',
    from: 'contexts/beta/src/app-peek.ts',
    imports: '../../../apps/alpha/src/main.js',
    to: 'apps/alpha/src/main.ts',
  },
  {
    rule: 'nothing-imports-apps',
    from: 'libs/platform/src/app-peek.ts',
    imports: '../../../apps/alpha/src/main.js',
    to: 'apps/alpha/src/main.ts',
  },
  {
    rule: 'libs-do-not-import-contexts',
    from: 'libs/messaging/src/context-peek.ts',
    imports: '../../../contexts/beta/src/index.js',
    to: 'contexts/beta/src/index.ts',
  },
  { rule: 'kernel-imports-nothing', from: 'libs/kernel/src/npm-peek.ts', imports: 'left-pad', to: 'node_modules/left-pad/index.js' },
  { rule: 'kernel-imports-nothing', from: 'libs/kernel/src/contracts-peek.ts', imports: '#contracts', to: 'libs/contracts/src/index.ts' },
  {
    rule: 'transparency-log-is-pure',
    from: 'libs/transparency-log/src/kernel-peek.ts',
    imports: '#kernel',
    to: 'libs/kernel/src/index.ts',
  },
  {
    rule: 'transparency-log-is-pure',
    from: 'libs/transparency-log/src/npm-peek.ts',
    imports: 'left-pad',
    to: 'node_modules/left-pad/index.js',
  },
  {
    rule: 'contracts-and-cdevents-build-on-kernel-only',
    from: 'libs/contracts/src/store-peek.ts',
    imports: '#event-store',
    to: 'libs/event-store/src/index.ts',
  },
  {
    rule: 'contracts-and-cdevents-build-on-kernel-only',
    from: 'libs/cdevents/src/log-peek.ts',
    imports: '#transparency-log',
    to: 'libs/transparency-log/src/index.ts',
  },
  { rule: 'contracts-are-types-only', from: 'libs/contracts/src/npm-peek.ts', imports: 'left-pad', to: 'node_modules/left-pad/index.js' },
  {
    rule: 'event-store-below-messaging',
    from: 'libs/event-store/src/bus-peek.ts',
    imports: '#messaging',
    to: 'libs/messaging/src/index.ts',
  },
  {
    rule: 'event-store-below-messaging',
    from: 'libs/event-store/src/nest-peek.ts',
    imports: '@nestjs/common',
    to: 'node_modules/@nestjs/common/index.js',
  },
  { rule: 'messaging-below-platform', from: 'libs/messaging/src/platform-peek.ts', imports: '#platform', to: 'libs/platform/src/index.ts' },
  {
    rule: 'messaging-below-platform',
    from: 'libs/messaging/src/nest-peek.ts',
    imports: '@nestjs/common',
    to: 'node_modules/@nestjs/common/index.js',
  },
  { rule: 'platform-below-contexts', from: 'libs/platform/src/testing-peek.ts', imports: '#testing', to: 'libs/testing/src/index.ts' },
  {
    rule: 'adapters-only-in-module-files',
    from: 'contexts/alpha/src/application/store-peek.ts',
    imports: '#event-store/adapters',
    to: 'libs/event-store/src/adapters.ts',
  },
  {
    rule: 'adapters-only-in-module-files',
    from: 'contexts/alpha/src/read-models/bus-peek.ts',
    imports: '#messaging/adapters',
    to: 'libs/messaging/src/adapters.ts',
  },
  { rule: 'no-circular', from: 'libs/platform/src/cycle-a.ts', imports: './cycle-b.js', to: 'libs/platform/src/cycle-b.ts' },
];

/** The other half of the planted cycle (dependency-cruiser reports a cycle once, from the first of its files). */
const companions: Record<string, string[]> = { 'libs/platform/src/cycle-b.ts': ['./cycle-a.js'] };

const source = (imports: readonly string[]) =>
  imports.map((spec, i) => `import * as m${i} from '${spec}';\nexport { m${i} };\n`).join('') || 'export const nothing = 0;\n';

function writeFixture(dir: string): void {
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { imports: unknown };
  write('package.json', JSON.stringify({ name: 'fixture', private: true, type: 'module', imports: project.imports }));
  write('tsconfig.json', readFileSync(join(root, 'tsconfig.json'), 'utf8'));
  for (const name of ['left-pad', '@nestjs/common']) {
    write(`node_modules/${name}/package.json`, JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
    write(`node_modules/${name}/index.js`, 'module.exports = {};\n');
  }
  for (const [path, imports] of Object.entries({ ...allowed, ...companions })) write(path, source(imports));
  for (const { from, imports } of planted) write(from, source([imports]));
}

describe('dependency rules of .dependency-cruiser.cjs', () => {
  let dir: string;
  let result: ICruiseResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dependency-rules-'));
    writeFixture(dir);
    // Exit code: the number of errors, so a rejection is expected; the report is on stdout either way.
    const output = await promisify(execFile)(
      process.execPath,
      [depcruise, '--config', configFile, '--output-type', 'json', 'apps', 'libs', 'contexts'],
      { cwd: dir, maxBuffer: 64 << 20 },
    ).then(
      ({ stdout }) => stdout,
      (error: Error & { stdout?: string; stderr?: string }) => {
        if (!error.stdout) throw new Error(`depcruise failed: ${error.stderr || error.message}`);
        return error.stdout;
      },
    );
    result = JSON.parse(output) as ICruiseResult;
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const reportsFrom = (from: string) =>
    result.summary.violations.filter((violation) => violation.from === from).map(({ rule, to }) => ({ rule: rule.name, to }));

  it('cruises every fixture file but the spec, and resolves every import in it', () => {
    const sources = result.modules.map((module) => module.source);
    for (const path of [
      ...Object.keys(allowed).filter((path) => !path.endsWith('.spec.ts')),
      ...planted.map(({ from }) => from),
      ...Object.keys(companions),
    ])
      expect(sources).toContain(path);
    expect(sources).not.toContain('libs/kernel/src/clock.unit.spec.ts');
    const unresolved = result.modules.flatMap((module) =>
      module.dependencies.filter((dependency) => dependency.couldNotResolve).map((dependency) => `${module.source} → ${dependency.module}`),
    );
    expect(unresolved).toEqual([]);
  });

  it('reports nothing for the allowed imports of every layer', () => {
    const fromAllowed = result.summary.violations.filter((violation) => violation.from in allowed);
    expect(fromAllowed).toEqual([]);
  });

  it.each(planted)('$rule: reports $from → $imports, and only by that rule', ({ rule, from, to }) => {
    expect(reportsFrom(from)).toEqual([{ rule, to }]);
  });

  it('reports no violation besides the planted ones', () => {
    const plantedFrom = new Set(planted.map(({ from }) => from));
    expect(result.summary.violations.filter((violation) => !plantedFrom.has(violation.from))).toEqual([]);
  });

  it('has a planted violation for every rule of the configuration', () => {
    const rules = (result.summary.ruleSetUsed?.forbidden ?? []).map(({ name }) => name).sort();
    expect(rules.length).toBeGreaterThan(0);
    expect([...new Set(planted.map(({ rule }) => rule))].sort()).toEqual(rules);
  });
});
