import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runBin } from './built-bin';

// The progress line on a terminal for big inputs (issue 16, CLI point 5; docs/cli.md), with the
// built binary on a pseudo-terminal: `script` from util-linux runs it there and copies what it wrote.

const backends = (n: number) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: Array.from({ length: n }, (_, i) => ({
      apiVersion: 'gateway.kgateway.dev/v1alpha1',
      kind: 'Backend',
      metadata: { name: `b${i}`, namespace: 'default' },
      spec: { static: { hosts: [{ host: '192.0.2.10', port: 80 }] } },
    })),
  });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backendkit-progress-'));
  writeFileSync(join(dir, 'big.json'), backends(5001));
  writeFileSync(join(dir, 'threshold.json'), backends(5000));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the terminal showed (standard output and error both go to it), and the exit status. */
function onTerminal(args: string): { status: number | null; screen: string } {
  const quoted = `"${process.execPath}" "${BIN}" ${args}`;
  const run = spawnSync('script', ['-qefc', quoted, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  if (run.error) throw run.error;
  return { status: run.status, screen: String(run.stdout) };
}

const PROGRESS = 'translating 5,001 objects...\r\x1b[K';

describe('progress on a terminal', () => {
  test('over 5,000 objects: a progress line, cleared before the summary', () => {
    const run = onTerminal('validate big.json');
    expect(run.status).toBe(0);
    expect(run.screen.startsWith(PROGRESS)).toBe(true);
    // Erased in place, then the summary on the same line.
    expect(run.screen.slice(PROGRESS.length)).toMatch(/^5001 Backends, 5001 clusters, 0 invalid, 0 errors, 0 warnings in [\d.]+ s\r?\n$/);
  });

  test('none with --quiet, none at 5,000 objects', () => {
    const quiet = onTerminal('validate big.json --quiet');
    expect(quiet.status).toBe(0);
    expect(quiet.screen).toBe('');
    const small = onTerminal('validate threshold.json');
    expect(small.status).toBe(0);
    expect(small.screen).not.toContain('translating');
    expect(small.screen).toMatch(/^5000 Backends, 5000 clusters/);
  });

  test('none without a terminal', () => {
    const piped = runBin(['validate', 'big.json'], dir);
    expect(piped.status).toBe(0);
    expect(piped.stderr).not.toContain('translating');
    expect(piped.stderr).toMatch(/^5001 Backends, 5001 clusters, 0 invalid, 0 errors, 0 warnings in [\d.]+ s\n$/);
  });
});
