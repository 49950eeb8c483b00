/** @type {import('jest').Config} */
module.exports = {
  // Node's, and each file's queue keys deleted from Redis once it is done (test/support/environment.js).
  testEnvironment: '<rootDir>/test/support/environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  // Suites spawn servers and CLI processes; a slow or shared machine must not turn that into failures.
  testTimeout: 120000,
  maxWorkers: 2,
};
