import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// How core's source hangs together (docs/architecture.md): checked on the files themselves.
const SRC = resolve(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The core files a file imports (type-only imports included: they tie files together too). */
function localImports(file: string, files: ReadonlySet<string>): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .filter(({ fileName }) => fileName.startsWith('.'))
    .map(({ fileName }) => {
      const base = resolve(dirname(file), fileName);
      return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => files.has(candidate));
    })
    .filter((found): found is string => found !== undefined);
}

/** Every import cycle, each as the files around it. */
function cycles(files: readonly string[]): string[][] {
  const set = new Set(files);
  const graph = new Map(files.map((f) => [f, localImports(f, set)]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)).map((f) => relative(SRC, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

describe("core's source", () => {
  const files = sourceFiles(SRC);

  test('has no import cycle', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(cycles(files)).toEqual([]);
  });

  test('the cycle finder finds a cycle', () => {
    // Guards the check above: two files of this test's own making that import each other.
    const a = join(__dirname, 'fixtures', 'cycle', 'a.ts');
    const b = join(__dirname, 'fixtures', 'cycle', 'b.ts');
    expect(cycles([a, b]).map((c) => c.length)).toEqual([2]);
  });

  test('patches no prototype', () => {
    const patching = files.filter((f) => /Object\.create\(|\.prototype\.\w+\s*=|Object\.setPrototypeOf\(/.test(readFileSync(f, 'utf8')));
    expect(patching.map((f) => relative(SRC, f))).toEqual([]);
  });

  test("knows no plugin: no Service or EndpointSlice, except Gateway API's default backendRef kind", () => {
    const mentions = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((line) => /Service|EndpointSlice|kube_|@backendkit\/(?!core|xds-types)/.test(line))
        .map((line) => `${relative(SRC, f)}: ${line.trim()}`),
    );
    expect(mentions).toEqual(["routing/ref.ts: const DEFAULT_REF_KIND = 'Service';"]);
  });
});
