// `npm run test:browser`: playwright-core driving Debian's Chromium against the whole app in sandbox mode.
module.exports = {
  ...require('./jest.base'),
  testMatch: ['<rootDir>/test/browser/**/*.browser.ts'],
  testTimeout: 120000,
};
