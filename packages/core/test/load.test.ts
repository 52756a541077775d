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
    expect(formatDiagnostic(diagnostics[0]!)).toMatch(/^error: bad\.yaml#1:\d+: invalid YAML at column \d+: /);
    expect(diagnostics[0]!.source?.line).toBeGreaterThanOrEqual(8);
  });

  test('duplicate keys are an error, not a silent overwrite', () => {
    const { objects, diagnostics } = loadText('apiVersion: v1\nkind: Service\nmetadata: {name: a}\nmetadata: {name: b}\n', { file: 'dup.yaml' });
    expect(objects).toEqual([]);
    expect(formatDiagnostic(diagnostics[0]!)).toMatch(/^error: dup\.yaml#0:4: invalid YAML at column 1: a key appears twice in one map$/);
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
    const bucket = definePlugin({
      name: 'test/buckets',
      kinds: { Bucket: ['storage.example.com/v1'] },
      clusters: (ctx) =>
        ctx.resources.list('Bucket').map((b) => ({ clusterName: `bucket_${b.metadata.name}`, resource: b, fragment: { cluster: { type: 'STATIC' } } })),
    });
    const text = 'apiVersion: storage.example.com/v1\nkind: Bucket\nmetadata: {name: b}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n';
    const translator = createTranslator({ plugins: [bucket] });
    expect(Object.keys(translator.kinds).sort()).toEqual(['Backend', 'Bucket', 'GRPCRoute', 'HTTPRoute', 'ReferenceGrant', 'Secret', 'TCPRoute', 'TLSRoute']);
    const result = translator.translateText(text, { file: 'b.yaml' });
    expect(result.clusters.map((c) => c.name)).toEqual(['bucket_b']);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(['warning: b.yaml#1:5: kind Service (v1) is not one backendkit reads: skipped']);
  });

  test('malformed kinds make the plugin invalid', () => {
    expect(() => createTranslator({ plugins: [{ name: 'test/bad', kinds: { Bucket: 'v1' } as never, extend: () => undefined }] })).toThrow(
      'plugin "test/bad" has malformed kinds',
    );
  });

  test('unknown kinds and unsupported apiVersions are skipped with a warning', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: Backend\nmetadata: {name: eg}\n';
    const { objects, diagnostics } = loadText(text, { file: 'k.yaml', kinds: acceptedKinds([]) });
    expect(objects).toEqual([]);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'warning: k.yaml#0:1: kind Deployment (apps/v1) is not one backendkit reads: skipped',
      'warning: k.yaml#1:5: Backend with apiVersion gateway.envoyproxy.io/v1alpha1 is not supported (expected gateway.kgateway.dev/v1alpha1 or gloo.solo.io/v1alpha1): skipped',
    ]);
  });

  test('a read kind at a version of its group that is not read, or in the wrong case, is an error', () => {
    const text =
      'apiVersion: gateway.kgateway.dev/v1\nkind: Backend\nmetadata: {name: a}\n---\napiVersion: gateway.kgateway.dev/v1alpha1\nkind: backend\nmetadata: {name: b}\n';
    // The kinds read are the registered ones (core's and the plugins'): without them, nothing is refused.
    const { objects, diagnostics } = loadText(text, { file: 'v.yaml', kinds: acceptedKinds([]) });
    expect(objects).toEqual([]);
    expect(diagnostics.map((d) => [d.severity, d.code, d.source?.line, d.message])).toEqual([
      [
        'error',
        'unsupported-api-version',
        1,
        'Backend with apiVersion gateway.kgateway.dev/v1 is not supported (expected gateway.kgateway.dev/v1alpha1 or gloo.solo.io/v1alpha1)',
      ],
      ['error', 'unknown-kind-case', 5, 'kind backend is not known; kinds are case-sensitive (did you mean Backend?)'],
    ]);
  });

  test('items of a kind: List point at their own line and column', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: a}\n  - apiVersion: gateway.kgateway.dev/v2\n    kind: Backend\n    metadata: {name: b}\n';
    const { objects, diagnostics } = loadText(text, { file: 'l.yaml', kinds: acceptedKinds([{ kinds: { Service: ['v1'] } }]) });
    expect(objects.map((o) => [o.metadata.name, o.source?.line, o.source?.column])).toEqual([['a', 4, 5]]);
    expect(diagnostics.map((d) => [d.path, d.source?.line, d.source?.column])).toEqual([['items[1]', 7, 5]]);
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
    const text =
      'apiVersion: v1\nkind: Service\nmetadata: {namespace: x}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a, labels: {n: 1}}\n---\nkind: Service\n';
    const { objects, diagnostics } = loadText(text, { file: 'e.yaml' });
    expect(objects).toEqual([]);
    expect(diagnostics.map((d) => `${d.source?.document} ${d.path}: ${d.message}`)).toEqual([
      '0 metadata.name: metadata.name must be a non-empty string',
      '1 metadata.labels: metadata.labels must map strings to strings',
      '2 apiVersion: apiVersion must be a non-empty string',
    ]);
  });
});

describe('loadText, hardened', () => {
  test('more documents than maxDocuments: nothing read, one error, quickly refused however many there are', () => {
    const many = '---\n'.repeat(4 * 1024 * 1024); // 16 MiB of empty documents, under maxInputBytes
    const { objects, diagnostics } = loadText(many, { file: 'many.yaml' });
    expect(objects).toEqual([]);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'error: many.yaml#0: the input holds more than 10000 YAML documents (the maxDocuments limit): nothing read',
    ]);
    expect(diagnostics[0]!.code).toBe('too-many-documents');
    const three = `${backend('a')}---\n${backend('b')}---\n${backend('c')}`;
    expect(loadText(three, { maxDocuments: 2 }).diagnostics.map((d) => d.code)).toEqual(['too-many-documents']);
    expect(loadText(three, { maxDocuments: 3 }).objects).toHaveLength(3);
  });

  test('a map of 30,000 keys loads in seconds (the duplicate-key check is linear; it was quadratic), and a duplicate at its end is found', () => {
    // Quadratic, 30,000 keys took about 25 s; the timeout below fails that.
    const keys = Array.from({ length: 30_000 }, (_, i) => `  k${i}: v`).join('\n');
    const text = `apiVersion: v1\nkind: Secret\nmetadata: {name: big}\nstringData:\n${keys}\n`;
    const loaded = loadText(text, { file: 'big.yaml' });
    expect(loaded.diagnostics).toEqual([]);
    expect(Object.keys(loaded.objects[0]!.stringData as object)).toHaveLength(30_000);
    const twice = loadText(`${text}  k5: again\n`, { file: 'big.yaml' });
    expect(twice.diagnostics.map(formatDiagnostic)).toEqual(['error: big.yaml#0:30005: invalid YAML at column 3: a key appears twice in one map']);
  }, 15_000);

  test('keys that become the same property are duplicates (1 and "1")', () => {
    const { diagnostics } = loadText('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  1: a\n  "1": b\n', { file: 'd.yaml' });
    expect(diagnostics.map(formatDiagnostic)).toEqual(['error: d.yaml#0:6: invalid YAML at column 3: a key appears twice in one map']);
  });

  test('a byte-order mark at the start of a later document is skipped, not read into its first key', () => {
    const { objects, diagnostics } = loadText(`\uFEFF${backend('one')}---\n\uFEFF${backend('two')}\uFEFF---\n${backend('three')}`);
    expect(diagnostics).toEqual([]);
    expect(objects.map((o) => o.metadata.name)).toEqual(['one', 'two', 'three']);
  });

  test('typed lists (BackendList, SecretList, ...), as the API server returns them, are read; items may leave out kind and apiVersion', () => {
    const list = {
      apiVersion: 'gateway.kgateway.dev/v1alpha1',
      kind: 'BackendList',
      metadata: { resourceVersion: '42' },
      items: [
        { metadata: { name: 'a', namespace: 'x' }, spec: { static: { hosts: [{ host: 'a.example.com', port: 80 }] } } },
        { apiVersion: 'gateway.kgateway.dev/v1alpha1', kind: 'Backend', metadata: { name: 'b' }, spec: {} },
      ],
    };
    const secrets = { apiVersion: 'v1', kind: 'SecretList', items: [{ metadata: { name: 's' }, stringData: { k: 'v' } }] };
    const { objects, diagnostics } = loadText(`${JSON.stringify(list)}\n---\n${JSON.stringify(secrets)}\n---\n{apiVersion: v1, kind: PodList, items: []}\n`, {
      kinds: acceptedKinds([]),
    });
    expect(objects.map((o) => [o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name])).toEqual([
      ['gateway.kgateway.dev/v1alpha1', 'Backend', 'x', 'a'],
      ['gateway.kgateway.dev/v1alpha1', 'Backend', 'default', 'b'],
      ['v1', 'Secret', 'default', 's'],
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual(['kind PodList (v1) is not one backendkit reads: skipped']);
  });

  test('an unknown YAML tag is a warning (the value is read as a string), not silently dropped', () => {
    const { objects, diagnostics } = loadText('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  k: !custom value\n', { file: 't.yaml' });
    expect(objects[0]!.stringData).toEqual({ k: 'value' });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'warning: t.yaml#0:5: YAML at column 6: a tag that is not known (or whose value does not fit it): the value is read as a string',
    ]);
  });
});
