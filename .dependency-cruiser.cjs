/**
 * Dependency rules of the design (docs/architecture.md). Libraries layer as
 *   kernel ← (contracts, cdevents, transparency-log) ← event-store ← messaging ← platform ← contexts ← apps
 * and each rule below forbids one way of breaking that. test/architecture/dependency-rules.unit.spec.ts
 * plants a violation of each rule and checks that it is caught.
 */
const lib = (names) => `^libs/(${names.join('|')})/`;
const nodeModules = { path: '^node_modules/', pathNot: '^node_modules/@types/' };

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-kernel',
      comment: 'domain/ holds deciders: no I/O, no Nest, only libs/kernel',
      severity: 'error',
      from: { path: '^contexts/[^/]+/src/domain/' },
      to: { pathNot: ['^contexts/[^/]+/src/domain/', '^libs/kernel/', '^node_modules/@types/'] },
    },
    {
      name: 'no-cross-context-imports',
      comment: 'a context learns another context’s facts from its integration events (libs/contracts), never from its code',
      severity: 'error',
      from: { path: '^contexts/([^/]+)/' },
      to: { path: '^contexts/', pathNot: '^contexts/$1/' },
    },
    {
      name: 'nothing-imports-apps',
      severity: 'error',
      from: { pathNot: '^apps/' },
      to: { path: '^apps/' },
    },
    {
      name: 'libs-do-not-import-contexts',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^contexts/' },
    },
    {
      name: 'kernel-imports-nothing',
      comment: 'libs/kernel is plain TypeScript: no other library, no npm package',
      severity: 'error',
      from: { path: '^libs/kernel/' },
      to: { pathNot: ['^libs/kernel/', '^node_modules/@types/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'transparency-log-is-pure',
      comment: 'RFC 6962/9162 and C2SP code: no kernel, no Nest, no store; only node: built-ins and canonicalisation',
      severity: 'error',
      from: { path: '^libs/transparency-log/' },
      to: { pathNot: ['^libs/transparency-log/', '^node_modules/@types/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'contracts-and-cdevents-build-on-kernel-only',
      comment: 'published types and the CDEvents library sit on the kernel alone',
      severity: 'error',
      from: { path: lib(['contracts', 'cdevents']) },
      to: { path: lib(['transparency-log', 'event-store', 'messaging', 'platform', 'testing']) },
    },
    {
      name: 'contracts-are-types-only',
      comment: 'libs/contracts publishes integration-event types, type names and topics: no npm package at run time',
      severity: 'error',
      from: { path: '^libs/contracts/' },
      to: nodeModules,
    },
    {
      name: 'event-store-below-messaging',
      comment: 'the event store knows no bus, no Nest and no platform',
      severity: 'error',
      from: { path: '^libs/event-store/' },
      to: { path: [lib(['messaging', 'platform', 'testing', 'cdevents', 'transparency-log']), '^node_modules/@nestjs/'] },
    },
    {
      name: 'messaging-below-platform',
      comment: 'messaging is plain TypeScript on the event store: no Nest, no platform',
      severity: 'error',
      from: { path: '^libs/messaging/' },
      to: { path: [lib(['platform', 'testing', 'cdevents', 'transparency-log']), '^node_modules/@nestjs/'] },
    },
    {
      name: 'platform-below-contexts',
      comment: 'libs/platform is Nest glue shared by every app; it knows no test helper',
      severity: 'error',
      from: { path: '^libs/platform/' },
      to: { path: lib(['testing']) },
    },
    {
      name: 'adapters-only-in-module-files',
      comment:
        'a context names a concrete store, database, lock or bus (#event-store/adapters, #messaging/adapters) only where it is composed: its *.module.ts files and its command-line tool',
      severity: 'error',
      from: { path: '^contexts/[^/]+/src/', pathNot: ['\\.module\\.ts$', '^contexts/[^/]+/src/cli/'] },
      to: { path: '^libs/(event-store|messaging)/src/adapters\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '\\.spec\\.ts$', '\\.contract\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { conditionNames: ['types', 'import', 'default'], exportsFields: ['exports'], extensions: ['.ts', '.js'] },
  },
};
