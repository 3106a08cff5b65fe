// End-to-end tests (`nx run crate-train:e2e`, which depends on the build): the
// specs that build and install the plugin or run real nx, named *.e2e.spec.ts or
// *.nx.spec.ts, or kept under src/e2e/ (the rest are unit tests: jest.config.cjs).
// The preset's long timeout: they drive real nx, git, cargo and servers.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'crate-train-e2e',
  rootDir: __dirname,
  testMatch: ['**/*.e2e.spec.ts', '**/*.nx.spec.ts', '**/src/e2e/**/*.spec.ts'],
};
