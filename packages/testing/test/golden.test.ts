import { AssertionError } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectGolden, expectGoldenText, goldenCases, isUpdatingGolden, lineDiff, orphanGoldenFiles, UPDATE_ENV } from '@backendkit/testing';

let dir: string;
const saved = process.env[UPDATE_ENV];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backendkit-golden-'));
  delete process.env[UPDATE_ENV];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env[UPDATE_ENV];
  else process.env[UPDATE_ENV] = saved;
});

function failure(fn: () => void): AssertionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AssertionError);
    return error as AssertionError;
  }
  throw new Error('expected the call to fail');
}

function updating<T>(fn: () => T): T {
  process.env[UPDATE_ENV] = '1';
  try {
    return fn();
  } finally {
    delete process.env[UPDATE_ENV];
  }
}

const output = { clusters: [{ name: 'a', connectTimeout: '5s' }], statuses: [] };

describe('expectGolden', () => {
  test('update mode writes the file (and its folder); compare mode then passes', () => {
    const file = join(dir, 'nested', 'case.golden.json');
    updating(() => expectGolden(file, output));
    expect(readFileSync(file, 'utf8')).toBe('{\n  "clusters": [\n    {\n      "name": "a",\n      "connectTimeout": "5s"\n    }\n  ],\n  "statuses": []\n}\n');
    expect(() => expectGolden(file, output)).not.toThrow();
  });

  test('a changed output fails with a diff, the file name and the update variable', () => {
    const file = join(dir, 'case.golden.json');
    updating(() => expectGolden(file, output));
    const error = failure(() => expectGolden(file, { ...output, clusters: [{ name: 'a', connectTimeout: '7s' }] }));
    expect(error.message).toBe(
      `output differs from golden file ${file} (- golden, + actual):\n` +
        '      {\n' +
        '        "name": "a",\n' +
        '-       "connectTimeout": "5s"\n' +
        '+       "connectTimeout": "7s"\n' +
        '      }\n' +
        '    ],\n' +
        `If the change is intended, run the tests with ${UPDATE_ENV}=1 to rewrite the file, then review its diff.`,
    );
    // The file is not touched by a failing comparison.
    expect(readFileSync(file, 'utf8')).toContain('"5s"');
  });

  test('formatting counts: the same JSON printed differently fails', () => {
    const file = join(dir, 'case.golden.json');
    writeFileSync(file, JSON.stringify(output));
    expect(failure(() => expectGolden(file, output)).message).toContain(`output differs from golden file ${file}`);
  });

  test('key order counts', () => {
    const file = join(dir, 'case.golden.json');
    updating(() => expectGolden(file, { a: 1, b: 2 }));
    expect(failure(() => expectGolden(file, { b: 2, a: 1 })).message).toContain('-   "a": 1,');
  });

  test('a missing golden file fails with a message naming it and the update variable', () => {
    const file = join(dir, 'absent.golden.json');
    expect(failure(() => expectGolden(file, output)).message).toBe(
      `golden file ${file} is missing; run the tests with ${UPDATE_ENV}=1 to write it, then review it`,
    );
  });

  test('update mode rewrites a changed file and leaves an unchanged one alone', () => {
    const file = join(dir, 'case.golden.json');
    updating(() => expectGolden(file, output));
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, old, old);
    updating(() => expectGolden(file, output));
    expect(statSync(file).mtime.getTime()).toBe(old.getTime());
    updating(() => expectGolden(file, { changed: true }));
    expect(readFileSync(file, 'utf8')).toBe('{\n  "changed": true\n}\n');
  });

  test('the update variable is read on each call: 1 and true turn it on, anything else does not', () => {
    for (const [value, on] of [
      ['1', true],
      ['true', true],
      ['0', false],
      ['yes', false],
    ] as const) {
      process.env[UPDATE_ENV] = value;
      expect(isUpdatingGolden()).toBe(on);
    }
  });

  test('expectGoldenText compares text as is', () => {
    const file = join(dir, 'crd.golden.yaml');
    updating(() => expectGoldenText(file, 'kind: A\n'));
    expect(() => expectGoldenText(file, 'kind: A\n')).not.toThrow();
    expect(failure(() => expectGoldenText(file, 'kind: B\n')).message).toContain('- kind: A\n+ kind: B');
  });
});

describe('goldenCases and orphanGoldenFiles', () => {
  test('pair each input with its golden file, sorted by name; report golden files without input', () => {
    writeFileSync(join(dir, 'b.yaml'), 'b: 1\n');
    writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
    writeFileSync(join(dir, 'a.golden.json'), '{}\n');
    writeFileSync(join(dir, 'gone.golden.json'), '{}\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored\n');
    expect(goldenCases(dir)).toEqual([
      { name: 'a', inputFile: join(dir, 'a.yaml'), goldenFile: join(dir, 'a.golden.json'), input: 'a: 1\n' },
      { name: 'b', inputFile: join(dir, 'b.yaml'), goldenFile: join(dir, 'b.golden.json'), input: 'b: 1\n' },
    ]);
    expect(orphanGoldenFiles(dir)).toEqual([join(dir, 'gone.golden.json')]);
  });
});

describe('lineDiff', () => {
  test('shows removed and added lines with context, and elides far-apart unchanged runs', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n');
    const after = ['1', 'two', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n');
    expect(lineDiff(before, after, { context: 1 })).toBe(['  1', '- 2', '+ two', '  3', '  ...', '  9', '+ 10'].join('\n'));
  });

  test('is cut to maxLines', () => {
    const after = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const diff = lineDiff('', after, { maxLines: 5 }).split('\n');
    expect(diff).toHaveLength(6);
    expect(diff[5]).toBe('  ... (96 more diff lines)');
  });
});
