/**
 * Unit specs beside the code (and of test-support code); passkey specs in a real browser, once;
 * e2e specs in test/, run once against SQLite and once against PostgreSQL.
 */
const tsJest = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] };
const e2e = (engine) => ({
  displayName: `e2e:${engine}`,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  transform: tsJest,
  testEnvironment: 'node',
  setupFiles: [`<rootDir>/test/support/engine-${engine}.ts`],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  slowTestThreshold: 30,
});

module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    {
      displayName: 'unit',
      // Test-support code (e.g. the software passkey authenticator) has its own specs.
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/support/*.spec.ts'],
      transform: tsJest,
      testEnvironment: 'node',
    },
    {
      // Passkeys in a real browser (Chromium with a virtual authenticator): once, not per engine.
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/*.spec.ts'],
      transform: tsJest,
      testEnvironment: 'node',
      // Against the built service, on SQLite.
      setupFiles: ['<rootDir>/test/support/engine-sqlite.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    e2e('sqlite'),
    e2e('postgres'),
  ],
};
