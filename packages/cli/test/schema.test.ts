import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { loadText } from '@backendkit/core';
import { backendCrd, backendSpecJsonSchema } from '@backendkit/core/schema';
import { builtinPlugins } from '@backendkit/preset';
import { cli } from './run-cli';

const EXAMPLES = join(__dirname, '../../../examples');

function exampleBackends(): { where: string; spec: unknown }[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      loadText(readFileSync(join(EXAMPLES, file), 'utf8'), { file })
        .objects.filter((o) => o.kind === 'Backend')
        .map((o) => ({ where: `${file} ${o.metadata.name}`, spec: o.spec })),
    );
}

describe('backendkit schema', () => {
  test('prints the JSON Schema of Backend.spec for the built-in plugins by default', async () => {
    const run = await cli(['schema']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(backendSpecJsonSchema(builtinPlugins()));
  });

  test('its output compiles with Ajv (2020-12), accepts every example Backend and rejects two type keys', async () => {
    const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(
      JSON.parse((await cli(['schema', '--format', 'json-schema'])).stdout),
    );
    const examples = exampleBackends();
    expect(examples.length).toBeGreaterThan(0);
    for (const { where, spec } of examples) expect({ where, ok: validate(spec), errors: validate.errors }).toEqual({ where, ok: true, errors: null });
    expect(validate({ static: { hosts: [{ host: 'a.example.com', port: 80 }] }, kubernetes: { serviceName: 'a', servicePort: 80 } })).toBe(false);
  });

  test('--format crd -o yaml prints the CRD as YAML', async () => {
    const run = await cli(['schema', '--format', 'crd', '-o', 'yaml']);
    expect(run.code).toBe(0);
    expect(parse(run.stdout)).toEqual(backendCrd(builtinPlugins()));
    expect(run.stdout.startsWith('apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n')).toBe(true);
  });

  test('a bad --format, --output or a stray argument is a usage error', async () => {
    for (const args of [['--format', 'openapi'], ['--output', 'xml'], ['examples']]) {
      const run = await cli(['schema', ...args]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^backendkit schema: .*\nUsage: backendkit schema \[--format json-schema\|crd\|crds\] \[--document\] \[--output json\|yaml\] \[--plugin MODULE\]\.\.\.\n$/,
      );
    }
  });

  test('is listed in the overview', async () => {
    expect((await cli(['--help'])).stdout).toContain('  schema ');
  });

  test('--document: a whole Backend document, which passes the examples and refuses a wrong kind or a misspelt type key', async () => {
    const run = await cli(['schema', '--document']);
    expect(run.code).toBe(0);
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(run.stdout));
    const documents = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((file) => loadText(readFileSync(join(EXAMPLES, file), 'utf8'), { file }).objects.filter((o) => o.kind === 'Backend'))
      .map(({ source: _source, ...object }) => object);
    expect(documents.length).toBeGreaterThan(3);
    for (const document of documents) expect([document.metadata.name, validate(document)]).toEqual([document.metadata.name, true]);
    const good = documents[0]!;
    expect(validate({ ...good, kind: 'backend' })).toBe(false);
    expect(validate({ ...good, apiVersion: 'gateway.kgateway.dev/v1' })).toBe(false);
    expect(validate({ ...good, spec: { statc: { hosts: [{ host: 'a.example', port: 80 }] } } })).toBe(false);
    expect(validate({ ...good, metadata: {} })).toBe(false);
  });
});

describe('backendkit schema --format crds', () => {
  test('prints a List of the Backend CRD and the policy CRDs', async () => {
    const run = await cli(['schema', '--format', 'crds']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout);
    expect(list.kind).toBe('List');
    expect(list.items.map((c: { metadata: { name: string } }) => c.metadata.name)).toEqual([
      'backends.gateway.kgateway.dev',
      'backendconfigpolicies.gateway.kgateway.dev',
      'backendtlspolicies.gateway.networking.k8s.io',
    ]);
  });
});
