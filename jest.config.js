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
export default {
  // Embedded PostgreSQL (WASM) takes seconds to start on a loaded 2-core machine.
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '/dist/'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/**/*.e2e.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '/dist/'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/**/*.int.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '/dist/'] },
  ],
};
