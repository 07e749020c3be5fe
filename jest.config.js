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
  maxWorkers: 2,
  // Jest may end a run with "A worker process has failed to exit gracefully". Checked (2026-12-06)
  // by instrumenting jest-worker's child: at the end both workers' event loops are empty at once
  // ('beforeExit' and 'exit' fire in the millisecond the end message arrives), so no test leaves a
  // handle open; what takes longer than jest-worker's fixed 500 ms is tearing down a worker process
  // of ~1-1.4 GB RSS. (The one open handle found with --detectOpenHandles, an HTTP/2 session in
  // lazy-http2.test.ts, is closed.)
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
