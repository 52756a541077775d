/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// ts-jest transpiles only (isolatedModules); `pnpm typecheck` does the type checking once for all.
const config: Config = {
  testEnvironment: 'node',
  reporters: ['default', '<rootDir>/scripts/summary-reporter.cjs'],
  roots: ['<rootDir>/packages', '<rootDir>/examples'],
  testMatch: ['**/test/**/*.test.ts'],
  moduleNameMapper: {
    '^@backendkit/core/(helpers|envoy|schema)$': '<rootDir>/packages/core/src/$1.ts',
    '^@backendkit/xds-types/(clusters|schema-table)$': '<rootDir>/packages/xds-types/src/$1.ts',
    // The ESM loader of lazily required modules uses import.meta; under jest (CommonJS) it is `require`.
    '^\\./lazy-require(\\.js)?$': '<rootDir>/packages/core/test/support/lazy-require.ts',
    '^@backendkit/([^/]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@backendkit/([^/]+)/([^/]+)$': '<rootDir>/packages/$1/src/$2/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: {
          module: 'commonjs',
          moduleResolution: 'node10',
          ignoreDeprecations: '6.0',
          isolatedModules: true,
          experimentalDecorators: true,
          esModuleInterop: true,
          target: 'ES2022',
          types: ['node', 'jest'],
        },
      },
    ],
  },
};

export default config;
