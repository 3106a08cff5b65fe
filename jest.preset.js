// Shared Jest setup. Tests run in CommonJS, and ESM-only dependencies (execa,
// @octokit/rest) are loaded for real through dynamic import(), which Jest
// supports when Node runs with --experimental-vm-modules (see nx.json `test`).
const fs = require('node:fs');
const path = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

// Each project's `test` target writes its Jest JSON report here (nx.json); Jest
// does not create the folder itself, and a fresh clone has none.
fs.mkdirSync(path.join(__dirname, 'dist', 'test-results'), { recursive: true });

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json') }],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, {
    prefix: __dirname + '/',
  }),
  testMatch: ['**/?(*.)+(spec|test).ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/fixtures/'],
  // Tests drive real git, cargo and servers; give them room, never time them.
  testTimeout: 180000,
};
