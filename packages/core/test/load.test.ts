import { acceptedKinds, createTranslator, definePlugin, formatDiagnostic, loadText } from '@backendkit/core';

const backend = (name: string, extra = '') =>
  `apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata:\n  name: ${name}\n${extra}spec:\n  static: {hosts: [{host: a.example.com, port: 80}]}\n`;

describe('loadText', () => {
  test('reads several documents, kind: List, and JSON; namespace defaults to default', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'shop' }, spec: {} },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { a: 'b' } },
      ],
    });
    const { objects, diagnostics } = loadText(`${backend('one')}---\n${backend('two', '  namespace: team\n')}---\n${list}\n`, { file: 'in.yaml' });
    expect(diagnostics).toEqual([]);
    expect(objects.map((o) => [o.kind, o.metadata.namespace, o.metadata.name, o.source?.document])).toEqual([
      ['Backend', 'default', 'one', 0],
      ['Backend', 'team', 'two', 1],
      ['Service', 'shop', 'svc', 2],
      ['Secret', 'default', 'creds', 2],
    ]);
  });

  test('malformed YAML names file, document and line, and the other documents still load', () => {
    const text = `${backend('good')}---\nkind: Backend\nmetadata: {name: x\n  spec: [\n`;
    const { objects, diagnostics } = loadText(text, { file: 'bad.yaml' });
    expect(objects.map((o) => o.metadata.name)).toEqual(['good']);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(formatDiagnostic(diagnostics[0]!)).toMatch(/^error: bad\.yaml#1:\d+: invalid YAML: /);
    expect(diagnostics[0]!.source?.line).toBeGreaterThanOrEqual(8);
  });

  test('duplicate keys are an error, not a silent overwrite', () => {
    const { objects, diagnostics } = loadText('apiVersion: v1\nkind: Service\nmetadata: {name: a}\nmetadata: {name: b}\n', { file: 'dup.yaml' });
    expect(objects).toEqual([]);
    expect(formatDiagnostic(diagnostics[0]!)).toMatch(/^error: dup\.yaml#0:4: invalid YAML: Map keys must be unique/);
  });

  test("a plugin's own kind loads when the plugin declares it; a kind named like an Object member is just unknown", () => {
    const text = 'apiVersion: storage.example.com/v1\nkind: Bucket\nmetadata: {name: b}\n---\napiVersion: v1\nkind: constructor\nmetadata: {name: c}\n';
    const bucketReader = { kinds: { Bucket: ['storage.example.com/v1'] } };
    expect(loadText(text, { kinds: acceptedKinds([bucketReader]) }).objects.map((o) => o.kind)).toEqual(['Bucket']);
    expect(loadText(text, { file: 'b.yaml', kinds: acceptedKinds([]) }).diagnostics.map(formatDiagnostic)).toEqual([
      'warning: b.yaml#0:1: kind Bucket (storage.example.com/v1) is not one backendkit reads: skipped',
      'warning: b.yaml#1:5: kind constructor (v1) is not one backendkit reads: skipped',
    ]);
    // Without a kind table the loader checks the envelope only.
    expect(loadText(text).objects.map((o) => o.kind)).toEqual(['Bucket', 'constructor']);
  });

  test("a translator loads what its plugins read: core's kinds and every plugin's kinds", () => {
    const bucket = definePlugin({ name: 'test/buckets', kinds: { Bucket: ['storage.example.com/v1'] }, clusters: (ctx) => ctx.resources.list('Bucket').map((b) => ({ clusterName: `bucket_${b.metadata.name}`, resource: b, fragment: { cluster: { type: 'STATIC' } } })) });
    const text = 'apiVersion: storage.example.com/v1\nkind: Bucket\nmetadata: {name: b}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n';
    const translator = createTranslator({ plugins: [bucket] });
    expect(Object.keys(translator.kinds).sort()).toEqual(['Backend', 'Bucket', 'GRPCRoute', 'HTTPRoute', 'ReferenceGrant', 'Secret', 'TCPRoute', 'TLSRoute']);
    const result = translator.translateText(text, { file: 'b.yaml' });
    expect(result.clusters.map((c) => c.name)).toEqual(['bucket_b']);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(['warning: b.yaml#1:5: kind Service (v1) is not one backendkit reads: skipped']);
  });

  test('malformed kinds make the plugin invalid', () => {
    expect(() => createTranslator({ plugins: [{ name: 'test/bad', kinds: { Bucket: 'v1' } as never, extend: () => undefined }] })).toThrow('plugin "test/bad" has malformed kinds');
  });

  test('unknown kinds and unsupported apiVersions are skipped with a warning', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: Backend\nmetadata: {name: eg}\n';
    const { objects, diagnostics } = loadText(text, { file: 'k.yaml', kinds: acceptedKinds([]) });
    expect(objects).toEqual([]);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'warning: k.yaml#0:1: kind Deployment (apps/v1) is not one backendkit reads: skipped',
      'warning: k.yaml#1:5: Backend with apiVersion gateway.envoyproxy.io/v1alpha1 is not supported (expected gateway.kgateway.dev/v1alpha1 or gloo.solo.io/v1alpha1): skipped',
    ]);
  });

  test('non-object documents are skipped with a warning; empty documents silently', () => {
    const { objects, diagnostics } = loadText('---\n42\n---\n- a\n---\n# only a comment\n', { file: 's.yaml' });
    expect(objects).toEqual([]);
    expect(diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ['warning', 'document is a number, not an object: skipped'],
      ['warning', 'document is a list, not an object: skipped'],
    ]);
  });

  test('a broken envelope is an error with a path', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {namespace: x}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a, labels: {n: 1}}\n---\nkind: Service\n';
    const { objects, diagnostics } = loadText(text, { file: 'e.yaml' });
    expect(objects).toEqual([]);
    expect(diagnostics.map((d) => `${d.source?.document} ${d.path}: ${d.message}`)).toEqual([
      '0 metadata.name: metadata.name must be a non-empty string',
      '1 metadata.labels: metadata.labels must map strings to strings',
      '2 apiVersion: apiVersion must be a non-empty string',
    ]);
  });
});
