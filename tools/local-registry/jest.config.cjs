module.exports = { ...require('../../jest.preset.js'), displayName: 'local-registry', rootDir: __dirname };
