import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHILD_MARK, LARGE_INPUT_BYTES, wantsChild, CHILD_FLAGS, type LaunchContext } from '../src/large-input';
import { BIN, withoutTime } from './built-bin';

// A translation of large files runs in a child with V8 flags for a long run (docs/cli.md, "How the
// command starts"): which runs take it, and that the child's run is the run, streams, exit
// status and signals included.

describe('which runs take the child', () => {
  const sizes: Record<string, number> = { '/w/big.json': LARGE_INPUT_BYTES, '/w/half.yaml': LARGE_INPUT_BYTES / 2, '/w/small.yaml': 100 };
  const wants = (args: string[], more: Partial<LaunchContext> = {}) =>
    wantsChild({ args, cwd: '/w', env: {}, execArgv: [], fileSize: (path) => sizes[path], ...more });

  test('translate and validate of files that are large together', () => {
    expect(wants(['translate', 'big.json'])).toBe(true);
    expect(wants(['validate', '/w/big.json', '--quiet'])).toBe(true);
    expect(wants(['translate', 'half.yaml', 'half.yaml'])).toBe(true);
    expect(wants(['translate', 'half.yaml', 'small.yaml'])).toBe(false);
    expect(wants(['translate', 'small.yaml', '-'])).toBe(false);
  });

  test('not other commands, options, or a process that is a child already or has flags of its own', () => {
    expect(wants(['serve', 'big.json'])).toBe(false);
    expect(wants(['--help', 'big.json'])).toBe(false);
    expect(wants(['translate', '--output=big.json', 'small.yaml'])).toBe(false);
    expect(wants(['translate', 'big.json'], { env: { [CHILD_MARK]: '1' } })).toBe(false);
    expect(wants(['translate', 'big.json'], { env: { NODE_OPTIONS: '--max-semi-space-size=32' } })).toBe(false);
    expect(wants(['translate', 'big.json'], { execArgv: ['--inspect-brk'] })).toBe(false);
    expect(wants(['translate', 'big.json'], { execArgv: ['--lazy-feedback-allocation'] })).toBe(false);
    expect(wants(['translate', 'big.json'], { execArgv: ['--initial-heap-size=512'] })).toBe(false);
    // A limit on the old generation is not one of the child's flags: the child inherits it.
    expect(wants(['translate', 'big.json'], { env: { NODE_OPTIONS: '--max-old-space-size=8192' } })).toBe(true);
    expect(wants(['translate', 'big.json'], { execArgv: ['-r', 'some-preload'] })).toBe(true);
  });

  test('a path that is not a regular file counts nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backendkit-large-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), 'x'.repeat(10));
      expect(wantsChild({ args: ['translate', dir, 'a.yaml', 'missing.yaml'], cwd: dir, env: {}, execArgv: [] })).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the built CLI on a large file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-large-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const backend = (name: string, port: unknown) => ({
    apiVersion: 'gateway.kgateway.dev/v1alpha1',
    kind: 'Backend',
    metadata: { name, namespace: 'default' },
    spec: { static: { hosts: [{ host: `${name}.example.com`, port }] } },
  });
  // Large by its spaces: a JSON List of one good and one bad Backend, quick to translate.
  const big = join(dir, 'big.json');
  writeFileSync(
    big,
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [backend('good', 80), backend('bad', 0)] }, null, 2) + ' '.repeat(LARGE_INPUT_BYTES),
  );
  // Each process the run starts writes its flags here (the child is given this process's flags too).
  const log = join(dir, 'processes.log');
  const preload = join(dir, 'log-process.cjs');
  writeFileSync(preload, `require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.execArgv) + '\\n');\n`);
  const args = ['-r', preload, BIN, 'translate', big, '--max-input-bytes', String(2 * LARGE_INPUT_BYTES)];
  const processes = () =>
    readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);

  test('runs in a child with the flags, and prints what a run in one process prints', () => {
    writeFileSync(log, '');
    const child = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(processes()).toEqual([
      ['-r', preload],
      ['-r', preload, ...CHILD_FLAGS],
    ]);
    writeFileSync(log, '');
    const alone = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', [CHILD_MARK]: '1' } });
    expect(processes()).toEqual([['-r', preload]]);
    // The bad Backend: exit status 1 from the child, as from one process; the same bytes on both streams.
    expect(child.status).toBe(1);
    expect(alone.status).toBe(1);
    expect(child.stdout).toBe(alone.stdout);
    expect(JSON.parse(child.stdout).clusters.map((c: { name: string }) => c.name)).toEqual(['backend_default_good_0']);
    expect(withoutTime(child.stderr)).toBe(withoutTime(alone.stderr));
    expect(child.stderr).toMatch(/spec\.static\.hosts\[0\]\.port/);
  });

  test('a signal sent to the command reaches the child, and the command ends by it', async () => {
    writeFileSync(log, '');
    // `-` as well: the child waits on standard input, which this test leaves open.
    const run = spawn(process.execPath, [...args, '-'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => run.on('exit', (code, signal) => done({ code, signal })));
    // Both processes have started once the log has two lines.
    while (readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).length < 2) await new Promise((wait) => setTimeout(wait, 20));
    run.kill('SIGTERM');
    expect(await ended).toEqual({ code: null, signal: 'SIGTERM' });
    run.stdin.end();
  }, 60_000);
});
