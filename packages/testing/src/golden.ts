import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatJson } from '@backendkit/core';
import { lineDiff } from './diff';
import { fail } from './fail';

/** Set to `1` to rewrite golden files from the current output instead of comparing. */
export const UPDATE_ENV = 'BACKENDKIT_UPDATE_GOLDEN';

/** True when this run rewrites golden files (`BACKENDKIT_UPDATE_GOLDEN=1`). */
export function isUpdatingGolden(): boolean {
  const value = process.env[UPDATE_ENV];
  return value === '1' || value === 'true';
}

export interface GoldenCase {
  name: string;
  inputFile: string;
  goldenFile: string;
  input: string;
}

export interface GoldenCaseOptions {
  /**
   * A second set of golden files for the same inputs, run with other options: `<name>.<variant>.golden.json`
   * (e.g. `legacy` for `clusterShape: 'legacy'`). Default: `<name>.golden.json`.
   */
  variant?: string;
}

/** Every `<name>.yaml` in a folder, paired with its `<name>.golden.json` (or `<name>.<variant>.golden.json`). */
export function goldenCases(dir: string, options: GoldenCaseOptions = {}): GoldenCase[] {
  const suffix = options.variant ? `.${options.variant}.golden.json` : '.golden.json';
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const inputFile = join(dir, f);
      const name = basename(f, '.yaml');
      return { name, inputFile, goldenFile: join(dir, `${name}${suffix}`), input: readFileSync(inputFile, 'utf8') };
    });
}

/**
 * Golden files in a folder whose input `<name>.yaml` is gone: left over after a rename or delete.
 * `<name>.<variant>.golden.json` belongs to `<name>.yaml` too.
 */
export function orphanGoldenFiles(dir: string): string[] {
  const files = new Set(readdirSync(dir));
  const hasInput = (stem: string) => files.has(`${stem}.yaml`) || (stem.includes('.') && files.has(`${stem.slice(0, stem.lastIndexOf('.'))}.yaml`));
  return [...files]
    .filter((f) => f.endsWith('.golden.json') && !hasInput(f.slice(0, -'.golden.json'.length)))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Compares `actual`, printed as backendkit prints JSON, with a golden file in full (as text, so key
 * order and formatting count too). With BACKENDKIT_UPDATE_GOLDEN=1 it writes the file instead.
 */
export function expectGolden(goldenFile: string, actual: unknown): void {
  expectGoldenText(goldenFile, formatJson(actual));
}

/** `expectGolden` for text you have already formatted (YAML, a CRD, a diagnostics listing). */
export function expectGoldenText(goldenFile: string, text: string): void {
  if (isUpdatingGolden()) {
    mkdirSync(dirname(goldenFile), { recursive: true });
    // Unchanged files are left alone so their timestamps (and watchers) stay quiet.
    if (!existsSync(goldenFile) || readFileSync(goldenFile, 'utf8') !== text) writeFileSync(goldenFile, text);
    return;
  }
  if (!existsSync(goldenFile)) {
    fail(`golden file ${goldenFile} is missing; run the tests with ${UPDATE_ENV}=1 to write it, then review it`);
  }
  const expected = readFileSync(goldenFile, 'utf8');
  if (text === expected) return;
  fail(
    `output differs from golden file ${goldenFile} (- golden, + actual):\n${lineDiff(expected, text)}\n` +
      `If the change is intended, run the tests with ${UPDATE_ENV}=1 to rewrite the file, then review its diff.`,
  );
}
