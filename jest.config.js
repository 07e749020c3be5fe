/** Jest runs TypeScript through @swc/jest (fast); types are checked separately by `tsc --noEmit`. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/gateway'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/cdktf.out/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Two workers on the 2-core CI machine: most suites wait on child processes (terraform, promtool,
  // redis-server, the gateway), so the suite takes ~2.5 min instead of ~4.5 min with jest's default one.
  // A run may end with "A worker process has failed to exit gracefully": no test leaves a handle
  // open (instrumented, each worker's event loop is empty the moment jest asks it to end); tearing
  // down a worker of ~1-1.4 GB RSS just takes longer than jest-worker's fixed 500 ms.
  maxWorkers: 2,
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
