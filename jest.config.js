/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // Integration tests share one local broker and one FerretDB; two workers suit the 2-core machines we run on.
  maxWorkers: 2,
  testTimeout: 60000,
  slowTestThreshold: 20,
  testSequencer: '<rootDir>/test/support/sequencer.js',
};
