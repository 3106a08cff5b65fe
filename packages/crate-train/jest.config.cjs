// Unit tests (`nx run crate-train:test`): every spec except the end-to-end ones,
// in process, with Jest's default timeout and no build of the plugin.
// The naming rule: a spec that builds or installs the plugin or runs real nx is
// an e2e spec, named *.e2e.spec.ts or *.nx.spec.ts, or kept under src/e2e/; those
// run in `nx run crate-train:e2e` (jest.e2e.config.cjs), after the build.
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'crate-train',
  rootDir: __dirname,
  testPathIgnorePatterns: [...preset.testPathIgnorePatterns, '\\.(e2e|nx)\\.spec\\.ts$', '/src/e2e/'],
  // Jest's default; a spec that drives real git or cargo sets its own (jest.setTimeout at its top).
  testTimeout: 5000,
};
