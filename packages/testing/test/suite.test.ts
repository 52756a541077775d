import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { staticPlugin } from '@backendkit/static';
import { goldenSuite, UPDATE_ENV, type GoldenCase } from '@backendkit/testing';

const ROOT = resolve(__dirname, '../../..');
const backend = (name: string, host: string) =>
  `apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: ${name}}\nspec:\n  static:\n    hosts: [{host: ${host}, port: 80}]\n`;

let dir: string;
// Other test files in this worker may run in update mode: put the variable back as it was.
const saved = process.env[UPDATE_ENV];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backendkit-suite-'));
  delete process.env[UPDATE_ENV];
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env[UPDATE_ENV];
  else process.env[UPDATE_ENV] = saved;
});

/** A stand-in for a framework's `test`: records the cases, runs them on demand. */
function recorder() {
  const cases: { name: string; fn: () => void | Promise<void> }[] = [];
  const run = async (name: string): Promise<string | undefined> => {
    try {
      await cases.find((c) => c.name === name)!.fn();
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
  return { test: (name: string, fn: () => void | Promise<void>) => void cases.push({ name, fn }), cases, run };
}

describe('goldenSuite', () => {
  test('registers one test per input plus an orphan check; update mode writes, compare mode passes', async () => {
    writeFileSync(join(dir, 'web.yaml'), backend('web', 'web.example.com'));
    writeFileSync(join(dir, 'ip.yaml'), backend('ip', '192.0.2.1'));
    const r = recorder();
    goldenSuite(dir, { test: r.test, translate: { plugins: [staticPlugin()] } });
    expect(r.cases.map((c) => c.name)).toEqual(['ip', 'web', 'every golden file has its input']);

    expect(await r.run('web')).toContain(`golden file ${join(dir, 'web.golden.json')} is missing`);
    process.env[UPDATE_ENV] = '1';
    expect(await r.run('web')).toBeUndefined();
    expect(await r.run('ip')).toBeUndefined();
    delete process.env[UPDATE_ENV];
    expect(await r.run('web')).toBeUndefined();
    const golden = JSON.parse(readFileSync(join(dir, 'web.golden.json'), 'utf8'));
    expect(golden.clusters[0]).toMatchObject({ name: 'backend_default_web_0', clusterType: { name: 'envoy.clusters.dns' } });
    expect(golden.diagnostics).toEqual([]);

    // Inputs are read when the suite is defined, as a test file would on its next run.
    writeFileSync(join(dir, 'web.yaml'), backend('web', 'api.example.com'));
    const again = recorder();
    goldenSuite(dir, { test: again.test, translate: { plugins: [staticPlugin()] } });
    expect(await again.run('web')).toMatch(
      /output differs from golden file .*web\.golden\.json[^]*-\s+"address": "web\.example\.com",\n\+\s+"address": "api\.example\.com"/,
    );
  });

  test('fails the orphan check for a golden file without input', async () => {
    writeFileSync(join(dir, 'a.yaml'), backend('a', '192.0.2.1'));
    writeFileSync(join(dir, 'old.golden.json'), '{}\n');
    const r = recorder();
    goldenSuite(dir, { test: r.test, translate: { plugins: [staticPlugin()] } });
    expect(await r.run('every golden file has its input')).toMatch(/^golden files without a <name>.yaml input \(delete them\): .*old\.golden\.json$/);
  });

  test('a variant compares the same inputs with <name>.<variant>.golden.json, which the orphan check counts as having input', async () => {
    writeFileSync(join(dir, 'web.yaml'), backend('web', 'web.example.com'));
    writeFileSync(join(dir, 'gone.legacy.golden.json'), '{}\n');
    const r = recorder();
    goldenSuite(dir, { test: r.test, variant: 'legacy', translate: { plugins: [staticPlugin()], clusterShape: 'legacy' } });
    expect(await r.run('web')).toContain(`golden file ${join(dir, 'web.legacy.golden.json')} is missing`);
    process.env[UPDATE_ENV] = '1';
    expect(await r.run('web')).toBeUndefined();
    delete process.env[UPDATE_ENV];
    expect(JSON.parse(readFileSync(join(dir, 'web.legacy.golden.json'), 'utf8')).clusters[0]).toMatchObject({
      type: 'STRICT_DNS',
      dnsLookupFamily: 'V4_PREFERRED',
    });
    expect(existsSync(join(dir, 'web.golden.json'))).toBe(false);
    expect(await r.run('every golden file has its input')).toMatch(/\(delete them\): [^,]*gone\.legacy\.golden\.json$/);
  });

  test('checks strict Envoy before comparing when the output has clusters', async () => {
    writeFileSync(join(dir, 'a.yaml'), 'anything\n');
    const r = recorder();
    const run = (_: GoldenCase) => ({ clusters: [{ name: 'x', bogus: true }] });
    goldenSuite(dir, { test: r.test, run });
    expect(await r.run('a')).toContain(
      'output is not strict Envoy configuration:\n  clusters[0] (x): cannot decode message envoy.config.cluster.v3.Cluster from JSON: key "bogus" is unknown',
    );
    expect(existsSync(join(dir, 'a.golden.json'))).toBe(false);
  });

  test('an empty folder is a failing test, not a silent pass', async () => {
    const r = recorder();
    goldenSuite(dir, { test: r.test, translate: { plugins: [] } });
    expect(r.cases).toHaveLength(1);
    expect(await r.run(r.cases[0]!.name)).toBe(`no <name>.yaml inputs in ${dir}: nothing would be compared`);
  });

  test("runs under node's own test runner: passes on matching goldens, fails naming the file otherwise", () => {
    writeFileSync(join(dir, 'web.yaml'), backend('web', 'web.example.com'));
    const entry = join(__dirname, 'node-test', 'golden-suite.node.ts');
    const node = (env: Record<string, string>) => {
      try {
        return {
          code: 0,
          out: execFileSync(process.execPath, ['--import', 'tsx', '--test', entry], {
            cwd: ROOT,
            env: { ...process.env, ...env, GOLDEN_DIR: dir },
            encoding: 'utf8',
            stdio: 'pipe',
          }),
        };
      } catch (error) {
        const e = error as { status: number; stdout: string };
        return { code: e.status, out: e.stdout };
      }
    };
    const written = node({ [UPDATE_ENV]: '1' });
    expect(written.out).toContain('# pass 2');
    expect(written.code).toBe(0);
    writeFileSync(join(dir, 'web.yaml'), backend('web', 'api.example.com'));
    const failed = node({ [UPDATE_ENV]: '' });
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('# fail 1');
    expect(failed.out).toContain(`output differs from golden file ${join(dir, 'web.golden.json')}`);
  }, 60_000);
});
