// `npm test`: unit and e2e suites on SQLite and the sandbox simulators.
module.exports = {
  ...require('./jest.base'),
  testMatch: ['<rootDir>/test/unit/**/*.spec.ts', '<rootDir>/test/e2e/**/*.e2e.ts'],
  testTimeout: 30000,
};
