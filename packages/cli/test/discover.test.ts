import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cli } from './run-cli';

const expectedYaml = readFileSync(join(__dirname, 'discover', 'expected.yaml'), 'utf8');

describe('backendkit discover', () => {
  test('prints one Backend per Service port as multi-document YAML', async () => {
    const { code, stdout, stderr } = await cli(['discover', 'discover/services.yaml']);
    expect(stderr).toBe('discover/services.yaml:19:1: warning: kind Deployment (apps/v1) is not one backendkit reads: skipped\n');
    expect(code).toBe(0);
    expect(stdout).toBe(expectedYaml);
  });

  test('--output json prints a v1 List of the same Backends', async () => {
    const { code, stdout } = await cli(['discover', 'discover/services.yaml', '--output', 'json']);
    expect(code).toBe(0);
    const list = JSON.parse(stdout);
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    expect(list.items).toEqual(parseAllDocuments(expectedYaml).map((d) => d.toJS()));
    expect(Object.keys(list)).toEqual(['apiVersion', 'kind', 'items']);
  });

  test('--namespace puts every Backend in that namespace', async () => {
    const { code, stdout } = await cli(['discover', 'discover/services.yaml', '-n', 'gateway', '-o', 'json']);
    expect(code).toBe(0);
    const items = JSON.parse(stdout).items as { metadata: { namespace: string; name: string } }[];
    expect(items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual([
      'gateway/payments-ledger-internal-443',
      'gateway/shop-petstore-8080',
      'gateway/shop-petstore-9090',
    ]);
  });

  test('an invalid Service: the others are printed, the problem goes to stderr, exit 1', async () => {
    const { code, stdout, stderr } = await cli(['discover', 'discover/broken.yaml']);
    expect(code).toBe(1);
    expect(parseAllDocuments(stdout).map((d) => (d.toJS() as { metadata: { name: string } }).metadata.name)).toEqual(['shop-fine-80']);
    expect(stderr).toBe('discover/broken.yaml:5:30: error: Service shop/broken: spec.ports[0].port: must be between 1 and 65535\n');
  });

  test('reads standard input; no Services prints nothing (YAML) or an empty List (JSON)', async () => {
    const piped = await cli(['discover', '-'], 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80}]\n');
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain('name: default-s-80\n');
    const empty = await cli(['discover', '-', '-o', 'json'], '');
    expect(empty).toEqual({ code: 0, stdout: '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": []\n}\n', stderr: '' });
    expect((await cli(['discover', '-'], '')).stdout).toBe('');
  });

  test.each([
    [['discover', 'discover/services.yaml', '--namespace', 'Not_A_Namespace'], '--namespace must be a Kubernetes namespace name, not "Not_A_Namespace"'],
    [['discover', 'discover/services.yaml', '--output', 'xml'], '--output must be json or yaml, not "xml"'],
    [['discover'], 'no input: give files, directories, or - for standard input'],
    [['discover', 'discover/missing.yaml'], 'cannot read discover/missing.yaml: no such file or directory'],
  ])('usage errors exit 2: %j', async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`backendkit discover: ${message}\nUsage: backendkit discover <file|dir|->... [--namespace NS] [--output yaml|json]\n`);
  });

  test('is listed in the overview and has its own help', async () => {
    expect((await cli(['--help'])).stdout).toContain('  discover   write one kubernetes Backend per Service port\n');
    const help = await cli(['discover', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('-n, --namespace NS');
  });
});
