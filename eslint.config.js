// Type-checked TypeScript linting for every workspace folder.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'bench/results/**',
      '*.config.js',
      '.dependency-cruiser.cjs',
      'test/**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Nest modules and marker classes are legitimately empty.
      '@typescript-eslint/no-extraneous-class': 'off',
      // Port implementations return promises whether or not they await anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests poke at untyped HTTP bodies and fixtures; typing every supertest body adds noise, not safety.
    files: ['**/*.spec.ts', 'test/**/*.ts', '**/*.contract.ts', 'libs/testing/**/*.ts', 'libs/cdevents/src/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
