export { assertStrictEnvoy, checkEnvoyOutput, checkMessage } from './strict';
export type { EnvoyOutput } from './strict';
export { runTranslation } from './run';
export type { RunOptions, RunResult } from './run';
export { expectGolden, goldenCases, UPDATE_ENV } from './golden';
export type { GoldenCase } from './golden';
