/** Dependency rules of the design: deciders stay pure, contexts stay apart, nothing reaches into apps. */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-kernel',
      comment: 'domain/ holds deciders: no I/O, no Nest, only libs/kernel',
      severity: 'error',
      from: { path: '^contexts/[^/]+/src/domain/' },
      to: {
        pathNot: ['^contexts/[^/]+/src/domain/', '^libs/kernel/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'domain-types-only-kernel',
      severity: 'error',
      from: { path: '^contexts/[^/]+/src/domain/' },
      to: { path: ['^node_modules/', '^libs/(platform|cdevents|contracts|testing)/'], pathNot: '^node_modules/@types/' },
    },
    {
      name: 'no-cross-context-imports',
      comment: 'contexts share only libs/contracts',
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
      name: 'kernel-has-no-framework',
      comment: 'libs/kernel is plain TypeScript: no Nest, no drivers',
      severity: 'error',
      from: { path: '^libs/kernel/' },
      to: { path: '^node_modules/', pathNot: '^node_modules/@types/' },
    },
    {
      name: 'libs-do-not-import-contexts',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^contexts/' },
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
    exclude: { path: ['^dist/', '\\.spec\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { conditionNames: ['types', 'import', 'default'], exportsFields: ['exports'], extensions: ['.ts', '.js'] },
  },
};
