module.exports = { ...require('../../jest.preset.js'), displayName: 'sample-workspace', rootDir: __dirname };
