// Jest in ESM mode (NestJS 12 is ESM-only); SWC compiles TypeScript with decorator metadata.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'es6' },
  },
];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^#(event-store|messaging)/adapters$': '<rootDir>/libs/$1/src/adapters.ts',
    '^#(kernel|contracts|cdevents|transparency-log|event-store|messaging|platform|testing)$': '<rootDir>/libs/$1/src/index.ts',
  },
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
};
const config = {
  // Embedded PostgreSQL (WASM) takes seconds to start on a loaded 2-core machine.
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '/dist/'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/**/*.e2e.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '/dist/'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
    // Child processes killed, databases stopped, disks filled: run alone, one spec at a time.
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/**/*.fault.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '/dist/'] },
  ],
};

// Local only (not part of the project): `--selectProjects unit <paths>` treats the paths as project names
// and runs everything; restrict the projects to those paths instead, so targeted runs stay targeted.
{
  const argv = process.argv;
  const at = argv.indexOf('--selectProjects');
  const paths =
    at < 0
      ? []
      : argv
          .slice(at + 1)
          .filter(
            (a, i, all) =>
              !a.startsWith('-') &&
              !['unit', 'e2e', 'integration', 'faults'].includes(a) &&
              !all.slice(0, i).some((b) => b.startsWith('-')),
          );
  if (paths.length > 0) {
    const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const project of config.projects) {
      const suffixes = { unit: 'unit', e2e: 'e2e', integration: 'int', faults: 'fault' };
      const suffix = suffixes[project.displayName];
      delete project.testMatch;
      project.testRegex = `^.*/(${paths.map((p) => escape(p.replace(/^\.\//, ''))).join('|')}).*\\.${suffix}\\.spec\\.ts$`;
    }
  }
}
export default config;
