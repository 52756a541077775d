import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runBin, withoutTime } from './built-bin';

// The built binary in a temporary folder, as a user runs it (issue 16, CLI points 1-3, 5 and 7).

const backend = (name: string, port = 80) =>
  `apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata:\n  name: ${name}\nspec:\n  static:\n    hosts:\n      - host: 192.0.2.10\n        port: ${port}\n`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backendkit-bin-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('relative paths', () => {
  test('resolve against the working directory, not INIT_CWD (an npm script run from a subfolder)', () => {
    const root = folder('project', { 'package.json': '{}', 'root.yaml': backend('at-root'), 'manifests/x.yaml': backend('in-manifests') });
    const sub = join(root, 'manifests');
    const one = runBin(['translate', 'x.yaml'], sub, { env: { INIT_CWD: root } });
    expect(one.status).toBe(0);
    expect(JSON.parse(one.stdout).clusters.map((c: { name: string }) => c.name)).toEqual(['backend_default_in-manifests_0']);
    const dot = runBin(['translate', '.'], sub, { env: { INIT_CWD: root } });
    expect(JSON.parse(dot.stdout).statuses.map((s: { name: string }) => s.name)).toEqual(['in-manifests']);
  });
});

describe('diagnostics', () => {
  test('file:line:col: severity: resource: path: message, in file order; List items at their own line; duplicates name both places', () => {
    const list = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: gateway.kgateway.dev/v1alpha1',
      '    kind: Backend',
      '    metadata: {name: dup}',
      '    spec: {static: {hosts: [{host: 192.0.2.1, port: 80}]}}',
      '  - apiVersion: gateway.kgateway.dev/v1alpha1',
      '    kind: Backend',
      '    metadata: {name: listed}',
      '    spec: {static: {hosts: [{host: 192.0.2.1, port: 0}]}}',
      '',
    ].join('\n');
    const root = folder('diag', { 'a.yaml': `${backend('bad', 70000)}---\nkey: [unclosed\n`, 'b.yaml': list, 'c.yaml': backend('dup') });
    const run = runBin(['translate', 'b.yaml', 'a.yaml', 'c.yaml'], root);
    expect(run.status).toBe(1);
    expect(withoutTime(run.stderr).split('\n')).toEqual([
      'b.yaml:11:53: error: Backend default/listed: spec.static.hosts[0].port: must be between 1 and 65535',
      'a.yaml:9:15: error: Backend default/bad: spec.static.hosts[0].port: must be between 1 and 65535',
      // The loader's messages say what is wrong, never what was written (docs/security.md).
      'a.yaml:12:1: error: invalid YAML at column 1: the indentation is wrong here',
      // At the second definition, naming both.
      'c.yaml:1:1: error: Backend default/dup: Backend default/dup is defined twice, at b.yaml:4:5 and at c.yaml:1:1: neither is translated',
      '3 Backends, 0 clusters, 3 invalid, 4 errors, 0 warnings in T s',
      '',
    ]);
  });

  test('--diagnostics json: one document of objects on standard error', () => {
    const root = folder('json', { 'a.yaml': backend('bad', 0) });
    const run = runBin(['translate', 'a.yaml', '--diagnostics', 'json'], root);
    expect(run.status).toBe(1);
    const document = JSON.parse(run.stderr);
    expect(document.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'invalid-field',
        message: 'must be between 1 and 65535',
        file: 'a.yaml',
        document: 0,
        line: 9,
        column: 15,
        path: 'spec.static.hosts[0].port',
        resource: { kind: 'Backend', namespace: 'default', name: 'bad' },
        plugin: '@backendkit/static',
      },
    ]);
    expect(document.summary).toEqual({ backends: 1, clusters: 0, invalid: 1, errors: 1, warnings: 0 });
  });
});

describe('control characters in paths and arguments', () => {
  // A newline or an escape in a file name or an argument must not forge lines or colours (docs/security.md).
  const name = 'a\nerror: forged\x1b[2J.yaml';
  const shown = 'a\\nerror: forged\\x1b[2J.yaml';

  test('a file name with a newline and an ESC is escaped in diagnostics and in the summary', () => {
    const root = folder('control', { [name]: backend('bad', 0) });
    const run = runBin(['translate', name], root);
    expect(run.status).toBe(1);
    // No control character but the line ends.
    expect([...run.stderr].filter((c) => c < ' ' && c !== '\n')).toEqual([]);
    expect(withoutTime(run.stderr).split('\n')).toEqual([
      `${shown}:9:15: error: Backend default/bad: spec.static.hosts[0].port: must be between 1 and 65535`,
      '1 Backend, 0 clusters, 1 invalid, 1 error, 0 warnings in T s',
      '',
    ]);
  });

  test('a missing file, an unknown command and a bad option value echo the input escaped', () => {
    const root = folder('control-missing', { 'x.yaml': backend('x') });
    const missing = runBin(['translate', name], root);
    expect(missing.status).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe(`backendkit translate: cannot read ${shown}: no such file or directory`);
    const command = runBin(['tr\nanslate\x1b[31m'], root);
    expect(command.status).toBe(2);
    expect(command.stderr.split('\n')[0]).toBe('backendkit: unknown command "tr\\nanslate\\x1b[31m"');
    const option = runBin(['translate', 'x.yaml', '--output', 'x\ny'], root);
    expect(option.status).toBe(2);
    expect(option.stderr).not.toContain('\x1b');
    expect(option.stderr.split('\n')[0]).toBe('backendkit translate: --output must be json or yaml, not "x\\ny"');
  });
});

describe('exit codes', () => {
  test.each([
    [
      'an unsupported apiVersion of a kind backendkit reads',
      backend('v').replace('v1alpha1', 'v1'),
      1,
      'Backend with apiVersion gateway.kgateway.dev/v1 is not supported',
    ],
    ['a kind that differs from a known one by case', backend('c').replace('kind: Backend', 'kind: backend'), 1, 'did you mean Backend?'],
    [
      'an unknown kind (a warning)',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n',
      0,
      'warning: kind Deployment (apps/v1) is not one backendkit reads: skipped',
    ],
    ['a near-miss spec field', backend('t').replace('static:', 'statc:'), 1, 'spec.statc: unknown field (did you mean static?)'],
  ])('%s', (_, text, status, message) => {
    const run = runBin(['translate', '-'], dir, { input: text });
    expect(run.status).toBe(status);
    expect(run.stderr).toContain(message);
  });

  test('a failed --discover-ec2 pass is exit 1', () => {
    const ec2 =
      'apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: e}\nspec:\n  aws:\n    region: us-east-1\n    ec2:\n      port: 80\n';
    // Nothing listens on port 9 of 127.0.0.1: the call fails at once.
    const run = runBin(['translate', '-', '--discover-ec2', '--ec2-endpoint', 'http://127.0.0.1:9'], dir, {
      input: ec2,
      env: { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: --discover-ec2 failed for us-east-1: /m);
  });
});

describe('inputs', () => {
  test('directory walks skip package.json, package-lock.json, tsconfig*.json and dot-folders; FIFOs and links out of the tree are not read', () => {
    const outside = folder('outside', { 'secret.yaml': backend('outside') });
    const root = folder('walk', {
      'package.json': '{"name": "x"}',
      'package-lock.json': '{}',
      'tsconfig.json': '{}',
      'tsconfig.build.json': '{}',
      '.github/ci.yaml': 'on: push\n',
      'backends/one.yaml': backend('one'),
    });
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'backends', 'linked.yaml'));
    symlinkSync('/dev/zero', join(root, 'backends', 'zero.yaml'));
    execFileSync('mkfifo', [join(root, 'backends', 'fifo.yaml')]);
    const run = runBin(['translate', '.'], root);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).statuses.map((s: { name: string }) => s.name)).toEqual(['one']);
    expect(withoutTime(run.stderr)).toBe('1 Backend, 1 cluster, 0 invalid, 0 errors, 0 warnings in T s\n');
  });

  test('standard input over --max-input-bytes: exit 2 with a message, nothing on standard output', () => {
    const run = runBin(['translate', '-', '--max-input-bytes', '4096'], dir, { input: Buffer.alloc(1024 * 1024, 0x20) });
    expect(run).toEqual({
      status: 2,
      stdout: '',
      stderr: expect.stringContaining('cannot read standard input: it is larger than the limit of 4 KiB (--max-input-bytes)'),
    });
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the command line itself', () => {
  test('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(runBin(['--version'], dir)).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('help <command> is <command> --help', () => {
    const help = runBin(['help', 'validate'], dir);
    expect(help.status).toBe(0);
    expect(help.stdout).toBe(runBin(['validate', '--help'], dir).stdout);
    expect(help.stdout).toContain('Usage: backendkit validate');
  });

  test('did you mean, for commands and options', () => {
    const command = runBin(['transalte', 'x.yaml'], dir);
    expect(command.status).toBe(2);
    expect(command.stderr).toContain('unknown command "transalte" (did you mean "translate"?)');
    const option = runBin(['translate', '-', '--ouptut', 'yaml'], dir, { input: '' });
    expect(option.status).toBe(2);
    expect(option.stderr).toContain(`Unknown option '--ouptut'`);
    expect(option.stderr).toContain('(did you mean "--output"?)');
  });

  test('colour only on a terminal: none through a pipe; --quiet leaves only errors', () => {
    const input = `${backend('bad', 0)}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n`;
    const piped = runBin(['translate', '-'], dir, { input });
    expect(piped.stderr).not.toContain('\x1b[');
    expect(withoutTime(piped.stderr).split('\n')).toEqual([
      '<stdin>:9:15: error: Backend default/bad: spec.static.hosts[0].port: must be between 1 and 65535',
      '<stdin>:11:1: warning: kind Deployment (apps/v1) is not one backendkit reads: skipped',
      '1 Backend, 0 clusters, 1 invalid, 1 error, 1 warning in T s',
      '',
    ]);
    const quiet = runBin(['translate', '-', '--quiet'], dir, { input });
    expect(quiet.stderr).toBe('<stdin>:9:15: error: Backend default/bad: spec.static.hosts[0].port: must be between 1 and 65535\n');
  });

  test('on a terminal, severities are coloured unless NO_COLOR is set', () => {
    const root = folder('tty', { 'bad.yaml': backend('bad', 0) });
    // `script` runs the command on a pseudo-terminal and copies what it writes.
    const onTty = (env: NodeJS.ProcessEnv) =>
      String(spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" validate bad.yaml`, '/dev/null'], { cwd: root, encoding: 'utf8', env }).stdout);
    const { NO_COLOR: _, ...withoutNoColor } = process.env;
    expect(onTty(withoutNoColor)).toContain('\x1b[1;31merror\x1b[0m');
    expect(onTty({ ...process.env, NO_COLOR: '1' })).not.toContain('\x1b[');
  });

  test('validate: exit status and diagnostics only', () => {
    const good = runBin(['validate', '-'], dir, { input: backend('good') });
    expect(good.status).toBe(0);
    expect(good.stdout).toBe('');
    expect(withoutTime(good.stderr)).toBe('1 Backend, 1 cluster, 0 invalid, 0 errors, 0 warnings in T s\n');
    const bad = runBin(['validate', '-'], dir, { input: backend('bad', 0) });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('<stdin>:9:15: error: Backend default/bad: spec.static.hosts[0].port');
  });
});
