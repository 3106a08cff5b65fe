module.exports = { ...require('../../jest.preset.js'), displayName: 'github-stand-in', rootDir: __dirname };
