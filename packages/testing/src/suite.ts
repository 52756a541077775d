import { relative } from 'node:path';
import { fail } from './fail';
import { expectGolden, goldenCases, orphanGoldenFiles, type GoldenCase } from './golden';
import { runTranslation, type RunOptions } from './run';
import { assertStrictEnvoy, type EnvoyOutput } from './strict';

/** A test-registering function: jest's, vitest's or mocha's `test`/`it`, or `test` from `node:test`. */
export type TestFunction = (name: string, fn: () => void | Promise<void>) => unknown;

export interface GoldenSuiteOptions {
  /**
   * Turns one case into the document its golden file holds. Default: `runTranslation(input, translate)`'s
   * `output` (clusters, endpoints, statuses, diagnostics), which needs `translate`.
   */
  run?: (c: GoldenCase) => unknown;
  /** Options for the default `run`: at least `plugins`. */
  translate?: RunOptions;
  /** Check the output with `assertStrictEnvoy` first (default: when it has clusters or endpoints). */
  strictEnvoy?: boolean;
  /** Compare with `<name>.<variant>.golden.json` instead (a second set of goldens, e.g. under other `translate` options). */
  variant?: string;
  /** Your framework's test function. Default: the global `test` (or `it`), as jest, vitest and mocha set. */
  test?: TestFunction;
}

/**
 * Registers one test per `<name>.yaml` in `dir` comparing the run's output with `<name>.golden.json`,
 * plus one that fails on golden files whose input is gone. Works in any framework whose tests fail
 * on a thrown error: pass `test` from `node:test` there.
 */
export function goldenSuite(dir: string, options: GoldenSuiteOptions): void {
  const test = options.test ?? globalTest();
  const cases = goldenCases(dir, options.variant ? { variant: options.variant } : {});
  if (cases.length === 0) {
    test(`golden cases in ${dir}`, () => fail(`no <name>.yaml inputs in ${dir}: nothing would be compared`));
    return;
  }
  for (const c of cases) test(c.name, () => checkGoldenCase(c, options));
  test('every golden file has its input', () => {
    const orphans = orphanGoldenFiles(dir);
    if (orphans.length > 0) fail(`golden files without a <name>.yaml input (delete them): ${orphans.map((f) => relative(process.cwd(), f)).join(', ')}`);
  });
}

/** Runs one golden case: run, strict Envoy check, full comparison (or rewrite in update mode). */
export function checkGoldenCase(c: GoldenCase, options: Omit<GoldenSuiteOptions, 'test'>): void {
  const output = runCase(c, options);
  const envoy = output as EnvoyOutput | undefined;
  const strict = options.strictEnvoy ?? Boolean(envoy && typeof envoy === 'object' && (envoy.clusters || envoy.assignments));
  if (strict) assertStrictEnvoy(envoy ?? {});
  expectGolden(c.goldenFile, output);
}

function runCase(c: GoldenCase, options: Omit<GoldenSuiteOptions, 'test'>): unknown {
  if (options.run) return options.run(c);
  if (!options.translate) return fail('goldenSuite needs either run or translate: { plugins }');
  return runTranslation(c.input, { file: `${c.name}.yaml`, ...options.translate }).output;
}

function globalTest(): TestFunction {
  const g = globalThis as { test?: unknown; it?: unknown };
  const found = typeof g.test === 'function' ? g.test : typeof g.it === 'function' ? g.it : undefined;
  if (!found) return fail("goldenSuite: no global test function here; pass one: goldenSuite(dir, { test, ... }) with test from 'node:test'");
  return found as TestFunction;
}
