import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cluster, registry } from '@backendkit/xds-types';

// The generator is a plain Node ES module (it runs before anything is built), so it is exercised
// in a Node process of its own, on descriptors written as plain objects with the fields it reads.
const SCRIPT = pathToFileURL(join(__dirname, '..', 'scripts', 'prune-imports.mjs')).href;

interface File {
  name: string;
  package?: string;
  dependency: string[];
  publicDependency?: number[];
  weakDependency?: number[];
  messageType?: object[];
  enumType?: object[];
  extension?: object[];
  service?: object[];
}

const file = (f: File) => ({ publicDependency: [], weakDependency: [], messageType: [], enumType: [], extension: [], service: [], ...f });
const message = (name: string, fields: object[] = [], nested: object[] = []) => ({ name, field: fields, extension: [], nestedType: nested, enumType: [] });

function prune(files: object[]): { removed: number; files: File[] } {
  const code = `import { pruneUnusedImports } from ${JSON.stringify(SCRIPT)};
let text = ''; process.stdin.on('data', (d) => (text += d)).on('end', () => {
  const files = JSON.parse(text); const removed = pruneUnusedImports(files);
  console.log(JSON.stringify({ removed, files }));
});`;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', code], { input: JSON.stringify(files), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }),
  ) as { removed: number; files: File[] };
}

describe('pruning imports no type of the file uses', () => {
  const options = file({ name: 'validate.proto', package: 'validate', dependency: [], messageType: [message('Rules')] });
  const types = file({
    name: 't.proto',
    package: 'a.t',
    dependency: [],
    messageType: [message('Outer', [], [message('Inner')])],
    enumType: [{ name: 'Kind' }],
  });
  const svc = file({ name: 's.proto', package: 'a.s', dependency: [], messageType: [message('Req'), message('Res')] });
  const reexport = file({ name: 'r.proto', package: 'a.r', dependency: ['t.proto'], publicDependency: [0] });

  test('keeps an import whose nested message, enum or service types are used, drops an options-only one', () => {
    const user = file({
      name: 'u.proto',
      package: 'a.u',
      dependency: ['validate.proto', 't.proto', 's.proto'],
      weakDependency: [0],
      messageType: [message('M', [{ name: 'x', typeName: '.a.t.Outer.Inner' }])],
      service: [{ name: 'S', method: [{ name: 'Call', inputType: '.a.s.Req', outputType: '.a.s.Res' }] }],
    });
    const { removed, files } = prune([options, types, svc, user]);
    expect(removed).toBe(1);
    expect(files[3]).toMatchObject({ dependency: ['t.proto', 's.proto'], weakDependency: [] });
    expect(files.slice(0, 3).map((f) => f.dependency)).toEqual([[], [], []]);
  });

  test('an enum type and an extendee count as uses; a public import stays and provides its types', () => {
    const user = file({
      name: 'u.proto',
      package: 'a.u',
      dependency: ['validate.proto', 'r.proto'],
      publicDependency: [1],
      extension: [{ name: 'rules', extendee: '.validate.Rules', typeName: '.a.t.Kind' }],
    });
    const through = file({
      name: 'v.proto',
      package: 'a.v',
      dependency: ['validate.proto', 'r.proto'],
      messageType: [message('M', [{ name: 'k', typeName: '.a.t.Kind' }])],
    });
    const { removed, files } = prune([options, types, reexport, user, through]);
    expect(removed).toBe(1);
    expect(files[3]).toMatchObject({ dependency: ['validate.proto', 'r.proto'], publicDependency: [1] });
    // r.proto defines nothing itself but re-exports t.proto, whose enum v.proto uses.
    expect(files[4]!.dependency).toEqual(['r.proto']);
  });

  test('the generated Cluster file imports no annotation file, and its fields still resolve', () => {
    const deps = cluster.file_envoy_config_cluster_v3_cluster.proto.dependency;
    expect(deps).toContain('envoy/config/core/v3/base.proto');
    expect(deps.filter((d) => /^(validate|udpa\/annotations|xds\/annotations|envoy\/annotations)\//.test(d))).toEqual([]);
    expect(cluster.ClusterSchema.field.transportSocket!.message!.typeName).toBe('envoy.config.core.v3.TransportSocket');
    // The annotation files are still generated and in the registry.
    expect(registry.getMessage('validate.FieldRules')?.typeName).toBe('validate.FieldRules');
  });
});
