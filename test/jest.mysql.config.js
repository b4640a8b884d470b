// `npm run test:mysql`: migrations up/down and every e2e suite again on MySQL (TEST_DATABASE_URL).
module.exports = {
  ...require('./jest.base'),
  testMatch: ['<rootDir>/test/mysql/**/*.spec.ts', '<rootDir>/test/e2e/**/*.e2e.ts'],
  testTimeout: 60000,
};
