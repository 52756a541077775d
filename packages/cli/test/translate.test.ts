import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import { assertStrictEnvoy } from '@backendkit/testing';
import { formatYaml } from '@backendkit/core';
import { runCli } from '../src/main';
import { cli } from './run-cli';

const mixed = 'fixtures/one-valid-one-invalid.yaml';

describe('backendkit translate', () => {
  test('one valid and one invalid Backend: one cluster, both statuses, exit 1', async () => {
    const { code, stdout, stderr } = await cli(['translate', mixed]);
    expect(code).toBe(1);
    const document = JSON.parse(stdout);
    assertStrictEnvoy(document);
    expect(document.clusters.map((c: { name: string }) => c.name)).toEqual(['backend_default_good_0']);
    expect(document.statuses.map((s: { name: string; conditions: { status: string }[] }) => [s.name, s.conditions[0]?.status])).toEqual([
      ['bad', 'False'],
      ['good', 'True'],
    ]);
    expect(stderr).toBe('fixtures/one-valid-one-invalid.yaml:17:43: error: Backend default/bad: spec.static.hosts[0].port: must be between 1 and 65535\n');
  });

  test('--output yaml prints the same document as YAML', async () => {
    const json = await cli(['translate', mixed]);
    const yaml = await cli(['translate', mixed, '--output', 'yaml']);
    expect(parse(yaml.stdout)).toEqual(JSON.parse(json.stdout));
  });

  test('--output yaml, printed in pieces, is the very text of the whole document (formatYaml)', async () => {
    const root = join(__dirname, '../../..');
    const args = ['translate', 'examples', '--ec2-instances', 'examples-data/ec2-instances.json'];
    const json = await cli(args, '', root);
    const writes: string[] = [];
    const code = await runCli([...args, '--output', 'yaml'], { stdout: (text) => writes.push(text), stderr: () => {}, readStdin: async () => '', cwd: root });
    expect(code).toBe(json.code);
    // The whole document printed at once, as before: the same bytes.
    expect(writes.join('')).toBe(formatYaml(JSON.parse(json.stdout)));
    expect(JSON.parse(json.stdout).clusters.length).toBeGreaterThan(5);
  });

  test('reads standard input with -, and directories recursively', async () => {
    const text =
      'apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: piped}\nspec:\n  static:\n    hosts: [{host: 192.0.2.3, port: 80}]\n';
    const piped = await cli(['translate', '-'], text);
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout).clusters[0].name).toBe('backend_default_piped_0');
    const dir = await cli(['translate', 'fixtures']);
    expect(JSON.parse(dir.stdout).statuses).toHaveLength(2);
  });

  test.each([
    [['translate'], 'no input: give files, directories, or - for standard input'],
    [['translate', 'missing.yaml'], 'cannot read missing.yaml: no such file or directory'],
    [['translate', mixed, '--output', 'xml'], '--output must be json or yaml, not "xml"'],
    [['translate', mixed, '--frobnicate'], "Unknown option '--frobnicate'"],
    [['translate', mixed, '--cluster-shape', 'old'], '--cluster-shape must be current or legacy, not "old"'],
    [['transmogrify'], 'unknown command "transmogrify"'],
  ])('usage and I/O errors exit 2 with a plain message: %j', async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  test('--cluster-shape legacy prints STRICT_DNS with dnsLookupFamily on the cluster; the default is the envoy.clusters.dns extension', async () => {
    const shapeOf = async (args: string[]) => {
      const { stdout } = await cli(['translate', mixed, ...args]);
      const [cluster] = JSON.parse(stdout).clusters;
      assertStrictEnvoy(JSON.parse(stdout));
      return { type: cluster.type, dnsLookupFamily: cluster.dnsLookupFamily, clusterType: cluster.clusterType };
    };
    const extension = {
      name: 'envoy.clusters.dns',
      typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.clusters.dns.v3.DnsCluster', dnsLookupFamily: 'V4_PREFERRED' },
    };
    expect(await shapeOf([])).toEqual({ clusterType: extension });
    expect(await shapeOf(['--cluster-shape', 'current'])).toEqual({ clusterType: extension });
    expect(await shapeOf(['--cluster-shape', 'legacy'])).toEqual({ type: 'STRICT_DNS', dnsLookupFamily: 'V4_PREFERRED' });
  });

  test('--help explains the command; no command prints the overview', async () => {
    const help = await cli(['translate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: backendkit translate <file|dir|->... [--output json|yaml]');
    expect(help.stdout).toContain('Exit status');
    const overview = await cli([]);
    expect(overview.code).toBe(2);
    expect(overview.stdout).toContain('translate');
  });

  test('the command runs as a process from its sources and sets the exit status', () => {
    const root = join(__dirname, '../../..');
    const tsx = join(root, 'node_modules/.bin/tsx');
    let status = 0;
    let stdout = '';
    try {
      execFileSync(tsx, ['packages/cli/src/run.ts', 'translate', `packages/cli/test/${mixed}`], {
        cwd: root,
        encoding: 'utf8',
        stdio: 'pipe',
        env: { ...process.env, INIT_CWD: root },
      });
    } catch (error) {
      const failure = error as { status: number; stdout: string };
      status = failure.status;
      stdout = failure.stdout;
    }
    expect(status).toBe(1);
    expect(JSON.parse(stdout).clusters).toHaveLength(1);
  });
});

describe('backendkit translate with policies', () => {
  test("reads the policy plugins' kinds: a BackendConfigPolicy shapes the cluster and gets a status", async () => {
    const { code, stdout, stderr } = await cli(['translate', 'policy-fixtures/policy.yaml']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const document = JSON.parse(stdout);
    assertStrictEnvoy(document);
    expect(document.clusters[0].connectTimeout).toBe('2s');
    expect(document.statuses.map((s: { kind: string; name: string }) => `${s.kind}/${s.name}`)).toEqual(['Backend/api', 'BackendConfigPolicy/tuning']);
    // The policy's per-ancestor status (Gateway API PolicyAncestorStatus) is printed with it.
    expect(document.statuses[1].ancestors).toEqual([
      {
        ancestorRef: { group: 'gateway.kgateway.dev', kind: 'Backend', namespace: 'shop', name: 'api' },
        controllerName: 'kgateway.dev/kgateway',
        conditions: [
          { type: 'Accepted', status: 'True', reason: 'Valid', message: 'Policy accepted' },
          { type: 'Attached', status: 'True', reason: 'Attached', message: 'Attached to all targets' },
        ],
      },
    ]);
  });
});
