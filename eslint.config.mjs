// ESLint (flat config): Nx's module boundaries on the scope tags, Nx's plugin checks on
// the plugin's executors.json/generators.json/package.json, and its dependency checks.
// Formatting is Prettier's (`.prettierrc.json`), so eslint-config-prettier turns style rules off.
import Module from 'node:module';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import jsonc from 'jsonc-eslint-parser';

// @nx/nx-plugin-checks checks executors.json/generators.json implementation paths with
// require.resolve, which knows no .ts: let it resolve (never load) our TypeScript sources.
Module._extensions['.ts'] ??= Module._extensions['.js'];

const TEST_FILES = ['**/*.spec.ts', '**/*test-support*.ts', '**/spec-helpers.ts', '**/test-helpers.ts', '**/testing/**/*.ts', '**/e2e/**/*.ts'];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/tmp/**', '**/.nx/**', '**/fixtures/**', 'tools/sample-workspace/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          // Tests of the GitHub client run against the stand-in, which is built on the client.
          ignoredCircularDependencies: [['github', 'github-stand-in']],
          depConstraints: [
            // Production code of the libraries: pure domain logic, no tools, no plugin.
            { sourceTag: 'scope:lib', onlyDependOnLibsWithTags: ['scope:lib'] },
            { sourceTag: 'scope:plugin', onlyDependOnLibsWithTags: ['scope:lib'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:lib', 'scope:tools', 'scope:plugin'] },
          ],
        },
      ],
      // The code base uses these on purpose (unused args in callbacks, `any` at JSON boundaries).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // No-op loggers and callbacks are intentional (quiet Octokit, ignored events).
      '@typescript-eslint/no-empty-function': 'off',
    },
  },
  {
    // Tests may use the test tools (local registry, GitHub stand-in, fixtures).
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          ignoredCircularDependencies: [['github', 'github-stand-in']],
          depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['scope:lib', 'scope:tools', 'scope:plugin'] }],
        },
      ],
    },
  },
  {
    // Benchmarks measure the plugin's internals (cold graph, caches), which its entry point does not export.
    files: ['tools/bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: ['../../packages/crate-train/src/**'],
          depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['scope:lib', 'scope:tools', 'scope:plugin'] }],
        },
      ],
    },
  },
  {
    files: ['packages/crate-train/package.json', 'packages/crate-train/executors.json', 'packages/crate-train/generators.json'],
    languageOptions: { parser: jsonc },
    rules: {
      '@nx/nx-plugin-checks': 'error',
    },
  },
  {
    files: ['packages/crate-train/package.json'],
    languageOptions: { parser: jsonc },
    rules: {
      // The plugin bundles the libs it imports, so their npm dependencies are the plugin's;
      // nx is a peer dependency: the plugin runs inside it, whether or not it imports it.
      '@nx/dependency-checks': [
        'error',
        {
          includeTransitiveDependencies: true,
          ignoredDependencies: ['nx'],
          ignoredFiles: ['{projectRoot}/**/*.spec.ts', '{projectRoot}/src/e2e/**', '{projectRoot}/**/*test-support*.ts'],
        },
      ],
    },
  },
];
