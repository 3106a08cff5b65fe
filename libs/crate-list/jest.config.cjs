module.exports = { ...require('../../jest.preset.js'), displayName: 'crate-list', rootDir: __dirname };
