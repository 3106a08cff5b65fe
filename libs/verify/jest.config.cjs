module.exports = { ...require('../../jest.preset.js'), displayName: 'verify', rootDir: __dirname };
