/**
 * `npm run test:soak`: the short soak (test/soak/*.soak.ts), apart from `npm test` until the defects it finds
 * today are fixed (docs/guides/soak.md, bench/results/2026-12-02-soak.md). It starts a stack of its own.
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = { ...base, testMatch: ['**/*.soak.ts'], globalSetup: undefined, maxWorkers: 1, testTimeout: 1500000 };
