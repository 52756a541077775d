import { formatDiagnostic, loadText } from '@backendkit/core';

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

  test('unknown kinds and unsupported apiVersions are skipped with a warning', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: Backend\nmetadata: {name: eg}\n';
    const { objects, diagnostics } = loadText(text, { file: 'k.yaml' });
    expect(objects).toEqual([]);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'warning: k.yaml#0:1: kind Deployment (apps/v1) is not one backendkit reads: skipped',
      'warning: k.yaml#1:5: Backend with apiVersion gateway.envoyproxy.io/v1alpha1 is not supported (expected gateway.kgateway.dev/v1alpha1 or gloo.solo.io/v1alpha1): skipped',
    ]);
  });

  test('a known kind at a version of its group that is not read, or in the wrong case, is an error', () => {
    const text = 'apiVersion: gateway.kgateway.dev/v1\nkind: Backend\nmetadata: {name: a}\n---\napiVersion: gateway.kgateway.dev/v1alpha1\nkind: backend\nmetadata: {name: b}\n';
    const { objects, diagnostics } = loadText(text, { file: 'v.yaml' });
    expect(objects).toEqual([]);
    expect(diagnostics.map((d) => [d.severity, d.code, d.source?.line, d.message])).toEqual([
      ['error', 'unsupported-api-version', 1, 'Backend with apiVersion gateway.kgateway.dev/v1 is not supported (expected gateway.kgateway.dev/v1alpha1 or gloo.solo.io/v1alpha1)'],
      ['error', 'unknown-kind-case', 5, 'kind backend is not known; kinds are case-sensitive (did you mean Backend?)'],
    ]);
  });

  test('items of a kind: List point at their own line and column', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: a}\n  - apiVersion: gateway.kgateway.dev/v2\n    kind: Backend\n    metadata: {name: b}\n';
    const { objects, diagnostics } = loadText(text, { file: 'l.yaml' });
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
