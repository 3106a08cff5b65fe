module.exports = { ...require('../../jest.preset.js'), displayName: 'remote-cache-stand-in', rootDir: __dirname };
