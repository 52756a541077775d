import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run-cli';

const backend = (name: string, extra = '') =>
  `apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: ${name}}\nspec:\n  static:\n    hosts: [{host: a.example.com, port: 80}]\n${extra}`;

describe('backendkit translate on hostile input', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'backendkit-hostile-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  test('__proto__ and constructor keys pollute no prototype; the good Backend still translates', async () => {
    const text = [
      backend('good', '  constructor: {prototype: {polluted: yes}}\n'),
      '---',
      backend('proto', '__proto__: {polluted: yes}\n'),
      '---',
      '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "labels": {"constructor": "x"}}, "stringData": {"constructor": {"prototype": {"polluted": "yes"}}}}',
      '',
    ].join('\n');
    const { code, stdout, stderr } = await cli(['translate', '-'], text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(code).toBe(1);
    expect(stderr).toBe(
      [
        '<stdin>:7:16: error: Backend default/good: spec.constructor: unknown field',
        '<stdin>:16:12: error: __proto__: a key named "__proto__" is not allowed: document refused',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(stdout).statuses.map((s: { name: string }) => s.name)).toEqual(['good']);
  });

  test('an alias bomb is refused quickly', async () => {
    let bomb = 'apiVersion: v1\nkind: Secret\nmetadata: {name: lol}\nstringData:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (const [prev, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi']) bomb += `  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
    const started = performance.now();
    const { code, stderr } = await cli(['translate', '-'], `${bomb}---\n${backend('after')}`);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(code).toBe(1);
    expect(stderr).toBe(
      '<stdin>:1:1: error: cannot read document: aliases expand to more than maxAliasCount (100) allows, weighted by what they hold ("billion laughs")\n',
    );
  });

  test('deep nesting is refused with file, document and line', async () => {
    const { code, stderr } = await cli(['translate', '-'], `${backend('ok')}---\nspec: ${'['.repeat(200_000)}\n`);
    expect(code).toBe(1);
    expect(stderr).toBe('<stdin>:8:72: error: maps and lists nest more than 64 levels deep: document refused\n');
  });

  test('--max-input-bytes: a larger file or standard input is not even read (exit 2)', async () => {
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `${backend('big')}# ${'x'.repeat(2000)}\n`);
    const tooBig = await cli(['translate', file, '--max-input-bytes', '1024'], '', dir);
    expect(tooBig).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining('cannot read big.yaml: it is 2.1 KiB, more than the limit of 1 KiB (--max-input-bytes)'),
    });
    expect((await cli(['translate', file, '--max-input-bytes', '4096'], '', dir)).code).toBe(0);

    const piped = await cli(['translate', '-', '--max-input-bytes', '1024'], `${backend('big')}# ${'x'.repeat(2000)}\n`);
    expect(piped.code).toBe(2);
    expect(piped.stdout).toBe('');
    expect(piped.stderr).toContain('cannot read standard input: it is larger than the limit of 1 KiB (--max-input-bytes)');
  });

  test('--max-input-bytes also sets the limit of one document', async () => {
    // A long comment makes a 4.5 MiB document that is quick to parse.
    const large = `${backend('large')}# ${'x'.repeat(4.5 * 1024 * 1024)}\n`;
    expect((await cli(['translate', '-'], large)).stderr).toBe('<stdin>:1:1: error: the document is 4.5 MiB, more than the limit of 4 MiB: refused\n');
    expect(await cli(['translate', '-', '--max-input-bytes', String(8 * 1024 * 1024)], large)).toMatchObject({ code: 0, stderr: '' });
  });

  test('--max-input-bytes also raises the number of documents, one per 64 bytes of it', async () => {
    const secrets = Array.from({ length: 12_000 }, (_, i) => `apiVersion: v1\nkind: Secret\nmetadata: {name: s${i}}\n`).join('---\n');
    expect((await cli(['translate', '-'], secrets)).stderr).toBe(
      '<stdin>: error: the input holds more than 10000 YAML documents (the maxDocuments limit): nothing read\n',
    );
    // 1 MiB: 16,384 documents.
    expect(await cli(['translate', '-', '--max-input-bytes', String(1024 * 1024)], secrets)).toMatchObject({ code: 0, stderr: '' });
    // 720,000 bytes (the text is about 684,000): 11,250 documents.
    expect((await cli(['translate', '-', '--max-input-bytes', '720000'], secrets)).stderr).toBe(
      '<stdin>: error: the input holds more than 11250 YAML documents (the maxDocuments limit): nothing read\n',
    );
  });

  test.each(['0', '-5', '1.5', 'lots'])('--max-input-bytes %s is a usage error', async (value) => {
    const { code, stderr } = await cli(['translate', '-', `--max-input-bytes=${value}`], backend('x'));
    expect(code).toBe(2);
    expect(stderr).toContain(`--max-input-bytes must be a positive whole number, not "${value}"`);
  });
});
