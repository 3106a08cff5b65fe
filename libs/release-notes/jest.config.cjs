module.exports = { ...require('../../jest.preset.js'), displayName: 'release-notes', rootDir: __dirname };
