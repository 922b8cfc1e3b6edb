const { findChromium, CHROMIUM_CANDIDATES } = require('./test/browser/support/browser-availability');

const chromium = findChromium();
const ignore = ['/node_modules/'];
if (!chromium) {
  const why = `no Chromium at ${CHROMIUM_CANDIDATES.join(' or ')} (install it with: apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`Browser tests cannot run in CI: ${why}`);
  console.warn(`\n*** Browser tests SKIPPED: ${why}. They are not counted as passed. ***\n`);
  ignore.push('<rootDir>/test/browser/');
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ignore,
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  maxWorkers: 2,
  testTimeout: 20000,
};
