export { assertStrictEnvoy, checkEnvoyOutput, checkMessage } from './strict';
export type { EnvoyOutput } from './strict';
export { runTranslation } from './run';
export type { RunOptions, RunResult } from './run';
export { makeBackend, runPlugin } from './plugin';
export type { BackendInput, PluginRun, RunPluginOptions } from './plugin';
export { expectGolden, expectGoldenText, goldenCases, isUpdatingGolden, orphanGoldenFiles, UPDATE_ENV } from './golden';
export type { GoldenCase, GoldenCaseOptions } from './golden';
export { checkGoldenCase, goldenSuite } from './suite';
export type { GoldenSuiteOptions, TestFunction } from './suite';
export {
  diagnosticsOf,
  expectDiagnostic,
  expectDiagnostics,
  expectNoDiagnostics,
  expectNoErrors,
  findDiagnostics,
  matchesDiagnostic,
} from './diagnostics';
export type { DiagnosticMatch, DiagnosticSource } from './diagnostics';
export { expectAccepted, expectCondition, expectInvalid, statusOf } from './status';
export type { ConditionMatch, StatusRef, StatusSource } from './status';
export { lineDiff } from './diff';
export { propertyRuns, PROPERTY_RUNS_ENV } from './property';
