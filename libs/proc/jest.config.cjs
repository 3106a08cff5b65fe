module.exports = { ...require('../../jest.preset.js'), displayName: 'proc', rootDir: __dirname };
