import { loadText, formatJson, toOutputDocument, createTranslator, type KubeObject } from '@backendkit/core';
import { staticPlugin } from '@backendkit/static';
import { backendYaml } from './toy-plugins';

// A small deterministic PRNG, so a failure names a seed that reproduces it.
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const documents = [
  backendYaml('zeta', 'static:\n  hosts: [{host: z.example.com, port: 80}, {host: 192.0.2.9, port: 81}]', 'team-b'),
  backendYaml('alpha', 'static:\n  hosts: [{host: 192.0.2.1, port: 80}]', 'team-b'),
  backendYaml('alpha', 'static:\n  hosts: [{host: a.example.com, port: 443}]\n  appProtocol: grpc', 'team-a'),
  backendYaml('broken', 'static:\n  hosts: []', 'team-a'),
  backendYaml('mid', 'type: Static\nstatic:\n  hosts: [{host: "2001:db8::1", port: 8080}]'),
];

function translate(objects: readonly KubeObject[]): string {
  const result = createTranslator({ plugins: [staticPlugin()] }).translate(objects);
  return formatJson(toOutputDocument(result));
}

test('the same resources in any order give byte-identical output', () => {
  const objects = loadText(documents.join('---\n')).objects.map(({ source: _source, ...object }) => object as KubeObject);
  const reference = translate(objects);
  expect(JSON.parse(reference).clusters.map((c: { name: string }) => c.name)).toEqual([
    'backend_default_mid_0',
    'backend_team-a_alpha_0',
    'backend_team-b_alpha_0',
    'backend_team-b_zeta_0',
  ]);
  for (let seed = 1; seed <= 20; seed++) {
    expect({ seed, output: translate(shuffled(objects, seed)) }).toEqual({ seed, output: reference });
  }
});
