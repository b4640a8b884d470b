// `npm run test:faults`: the demo month under injected faults, a killed process, concurrent approvals, revoked tokens.
module.exports = {
  ...require('./jest.base'),
  testMatch: ['<rootDir>/test/faults/**/*.faults.ts'],
  testTimeout: 240000,
};
