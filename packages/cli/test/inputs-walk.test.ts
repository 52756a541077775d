import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs } from '../src/inputs';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backendkit-walk-'));
  const put = (path: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), 'kind: X\n');
  };
  ['a.yaml', 'sub/b.yml', 'sub/deeper/c.json', 'plugin/package.json', 'plugin/test/fixtures/x.yaml', 'node_modules/dep/y.yaml', '.cache/z.yaml'].forEach(put);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const io = (cwd: string) => ({ stdout: () => {}, stderr: () => {}, readStdin: async () => '', cwd });

describe('reading a directory', () => {
  test('walks subfolders but skips nested packages, node_modules and hidden folders', async () => {
    const inputs = await readInputs(['.'], io(dir));
    expect(inputs.map((i) => i.file)).toEqual(['a.yaml', join('sub', 'b.yml'), join('sub', 'deeper', 'c.json')]);
  });

  test('a nested package named on the command line is read', async () => {
    const inputs = await readInputs(['plugin'], io(dir));
    expect(inputs.map((i) => i.file)).toEqual([join('plugin', 'package.json'), join('plugin', 'test', 'fixtures', 'x.yaml')]);
  });
});
