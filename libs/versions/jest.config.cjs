module.exports = { ...require('../../jest.preset.js'), displayName: 'versions', rootDir: __dirname };
