module.exports = { ...require('../../jest.preset.js'), displayName: 'crate-train', rootDir: __dirname };
