import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs } from '../src/inputs';

let dir: string;
let outside: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backendkit-walk-'));
  outside = mkdtempSync(join(tmpdir(), 'backendkit-outside-'));
  const put = (path: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), 'kind: X\n');
  };
  [
    'a.yaml',
    'sub/b.yml',
    'sub/deeper/c.json',
    'plugin/package.json',
    'plugin/test/fixtures/x.yaml',
    'node_modules/dep/y.yaml',
    '.cache/z.yaml',
    '.hidden.yaml',
    'app/package-lock.json',
    'app/tsconfig.json',
    'app/tsconfig.build.json',
    'app/d.yaml',
    'notes.txt',
  ].forEach(put);
  writeFileSync(join(outside, 'secret.yaml'), 'kind: Outside\n');
  symlinkSync(join(outside, 'secret.yaml'), join(dir, 'out.yaml'));
  symlinkSync(outside, join(dir, 'outdir'));
  symlinkSync(join(dir, 'a.yaml'), join(dir, 'in-tree-link.yaml'));
  symlinkSync(dir, join(dir, 'sub', 'loop'));
  symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
  execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const io = (cwd: string, stdin = '') => ({ stdout: () => {}, stderr: () => {}, readStdin: async () => stdin, cwd });
const LIMIT = 1024;

describe('reading a directory', () => {
  test('walks subfolders; skips nested packages, node_modules, hidden entries, package and tsconfig JSON', async () => {
    const inputs = await readInputs(['.'], io(dir), LIMIT);
    expect(inputs.map((i) => i.file)).toEqual(['a.yaml', join('app', 'd.yaml'), 'in-tree-link.yaml', join('sub', 'b.yml'), join('sub', 'deeper', 'c.json')]);
  });

  test('reads regular files only: no link out of the tree, no FIFO (which would hang), no device', async () => {
    const inputs = await readInputs(['.'], io(dir), LIMIT);
    expect(inputs.map((i) => i.text)).not.toContain('kind: Outside\n');
    expect(inputs.map((i) => i.file).filter((f) => /out|zero|fifo|loop/.test(f))).toEqual([]);
  });

  test('a nested package named on the command line is read', async () => {
    const inputs = await readInputs(['plugin'], io(dir), LIMIT);
    expect(inputs.map((i) => i.file)).toEqual([join('plugin', 'test', 'fixtures', 'x.yaml')]);
  });

  test('a device named on the command line is read only up to the limit', async () => {
    await expect(readInputs(['zero.yaml'], io(dir), LIMIT)).rejects.toThrow('cannot read zero.yaml: it is larger than the limit of 1 KiB (--max-input-bytes)');
  });

  test('standard input over the limit is refused', async () => {
    await expect(readInputs(['-'], io(dir, 'x'.repeat(LIMIT + 1)), LIMIT)).rejects.toThrow('standard input');
  });
});
