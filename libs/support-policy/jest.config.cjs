module.exports = { ...require('../../jest.preset.js'), displayName: 'support-policy', rootDir: __dirname };
