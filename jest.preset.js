// Shared Jest setup. Tests run in CommonJS, and ESM-only dependencies (execa,
// @octokit/rest) are loaded for real through dynamic import(), which Jest
// supports when Node runs with --experimental-vm-modules (see nx.json `test`).
const path = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { tsconfig: path.join(__dirname, 'tsconfig.spec.json') },
    ],
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
