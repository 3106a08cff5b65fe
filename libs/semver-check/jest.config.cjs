module.exports = { ...require('../../jest.preset.js'), displayName: 'semver-check', rootDir: __dirname };
