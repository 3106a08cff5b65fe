module.exports = { ...require('../../jest.preset.js'), displayName: 'github', rootDir: __dirname };
