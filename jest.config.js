/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  // Suites spawn servers and CLI processes; a slow or shared machine must not turn that into failures.
  testTimeout: 120000,
  maxWorkers: 2,
};
