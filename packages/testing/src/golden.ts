import { deepStrictEqual, strictEqual } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatJson } from '@backendkit/core';

/** Set to `1` to rewrite golden files from the current output instead of comparing. */
export const UPDATE_ENV = 'BACKENDKIT_UPDATE_GOLDEN';

export interface GoldenCase {
  name: string;
  inputFile: string;
  goldenFile: string;
  input: string;
}

/** Every `<name>.yaml` in a folder, paired with its `<name>.golden.json`. */
export function goldenCases(dir: string): GoldenCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const inputFile = join(dir, f);
      const name = basename(f, '.yaml');
      return { name, inputFile, goldenFile: join(dir, `${name}.golden.json`), input: readFileSync(inputFile, 'utf8') };
    });
}

/**
 * Compares `actual` with a golden file in full (as text, so key order and formatting count too).
 * With BACKENDKIT_UPDATE_GOLDEN=1 it writes the file instead.
 */
export function expectGolden(goldenFile: string, actual: unknown): void {
  const text = formatJson(actual);
  if (process.env[UPDATE_ENV] === '1') {
    mkdirSync(dirname(goldenFile), { recursive: true });
    writeFileSync(goldenFile, text);
    return;
  }
  if (!existsSync(goldenFile)) {
    throw new Error(`golden file ${goldenFile} is missing; run the tests with ${UPDATE_ENV}=1 to write it, then review it`);
  }
  const expected = readFileSync(goldenFile, 'utf8');
  deepStrictEqual(JSON.parse(text), JSON.parse(expected), `output differs from ${goldenFile} (${UPDATE_ENV}=1 rewrites it)`);
  strictEqual(text, expected, `output formatting differs from ${goldenFile}`);
}
