import fc from 'fast-check';
import { propertyRuns } from '@backendkit/testing';
import { createTranslator, formatDiagnostic, loadText, type KubeObject } from '@backendkit/core';
import { staticPlugin } from '@backendkit/static';
import { Lexer } from 'yaml';

// JSON input is read with JSON.parse (docs/performance.md, "JSON input"); what it gives must be what
// the YAML path gives for the same text, lines included.

const backend = (name: string, port: unknown) => ({
  apiVersion: 'gateway.kgateway.dev/v1alpha1',
  kind: 'Backend',
  metadata: { name, namespace: 'default' },
  spec: { static: { hosts: [{ host: `${name}.example.com`, port }] } },
});
const list = JSON.stringify(
  {
    apiVersion: 'v1',
    kind: 'List',
    items: [backend('a', 80), { apiVersion: 'v1', kind: 'Nope', metadata: { name: 'x' } }, backend('b', 'eighty'), backend('c', 443)],
  },
  null,
  2,
);
/** The same text as YAML sees it: a comment first keeps it off the JSON path (and moves every line by one). */
const viaYaml = (text: string) => `# yaml\n${text}`;
const withoutSource = (objects: KubeObject[]) => objects.map(({ source: _source, ...rest }) => rest);

test('a JSON List loads to the same objects and diagnostics as through the YAML parser', () => {
  const json = loadText(list, { file: 'in.json' });
  const yaml = loadText(viaYaml(list), { file: 'in.json' });
  expect(withoutSource(json.objects)).toEqual(withoutSource(yaml.objects));
  expect(json.objects.map((o) => o.source?.line)).toEqual(yaml.objects.map((o) => o.source!.line! - 1));
  expect(json.diagnostics.map((d) => ({ ...d, source: { ...d.source, line: d.source?.line } }))).toEqual(
    yaml.diagnostics.map((d) => ({ ...d, source: { ...d.source, line: d.source!.line! - 1 } })),
  );
});

test('diagnostics about a JSON input point at the exact line of the bad field', () => {
  const translator = createTranslator({ plugins: [staticPlugin()] });
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [backend('a', 80), backend('b', 'eighty')] }, null, 2);
  const result = translator.translateText(text, { file: 'in.json' });
  const line = text.split('\n').findIndex((l) => l.includes('"eighty"')) + 1;
  const bad = result.diagnostics.filter((d) => d.severity === 'error');
  expect(bad).toHaveLength(1);
  expect(formatDiagnostic(bad[0]!)).toContain(`in.json#0:${line}`);
  expect(bad[0]!.path).toBe('spec.static.hosts[0].port');
});

test('duplicate keys, which JSON.parse would hide, are still reported', () => {
  const text = `{"apiVersion": "v1", "kind": "List", "kind": "List", "items": []}`;
  const { diagnostics } = loadText(text);
  expect(diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/a key appears twice in one map/)]);
});

test('with a polluted Object.prototype, a JSON text loads as before: its keys are its own', () => {
  const clean = loadText(list, { file: 'in.json' });
  const twice = `{"apiVersion": "v1", "kind": "List", "kind": "List", "items": []}`;
  Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true });
  try {
    const polluted = loadText(list, { file: 'in.json' });
    expect(polluted.objects).toEqual(clean.objects);
    expect(polluted.diagnostics).toEqual(clean.diagnostics);
    expect(loadText(twice).diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/a key appears twice in one map/)]);
  } finally {
    delete (Object.prototype as Record<string, unknown>).polluted;
  }
});

test('a colon inside a string is not taken for a key', () => {
  const tricky = { ...backend('a', 80), metadata: { name: 'a', namespace: 'default', annotations: { 'x:"\\': ':"\\:' } } };
  const { objects, diagnostics } = loadText(JSON.stringify(tricky));
  expect(diagnostics).toEqual([]);
  expect(objects[0]!.metadata.annotations).toEqual({ 'x:"\\': ':"\\:' });
});

test('maxValues, the limit on YAML alias expansion, does not apply to JSON text (no aliases); the byte limits do', () => {
  const { objects, diagnostics } = loadText(list, { maxValues: 10 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(objects.map((o) => o.metadata.name)).toEqual(['a', 'x', 'b', 'c']);
  const small = loadText(list, { maxDocumentBytes: 100, maxInputBytes: 100_000 });
  expect(small.objects).toEqual([]);
  expect(small.diagnostics.map((d) => d.code)).toEqual(['document-too-large']);
});

test('a JSON text over maxDocumentBytes is refused as the YAML path would refuse it, at the start of its line', () => {
  const refusal = (text: string, maxDocumentBytes: number) =>
    loadText(text, { file: 'x.json', maxDocumentBytes, maxInputBytes: 100_000 }).diagnostics.map((d) => [d.code, d.message, d.source]);
  const bytes = Buffer.byteLength(list);
  const size = `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  expect(refusal(list, 100)).toEqual([
    ['document-too-large', `the document is ${size}, more than the limit of 100 bytes: refused`, { file: 'x.json', document: 0, line: 1, column: 1 }],
  ]);
  // Blank lines before the value are not the document's; spaces before it on its line are.
  expect(refusal(`\n\n  ${list}`, 100)).toEqual([
    ['document-too-large', `the document is ${size}, more than the limit of 100 bytes: refused`, { file: 'x.json', document: 0, line: 3, column: 1 }],
  ]);
  const small = JSON.stringify(backend('a', 80));
  expect(refusal(`  ${small}\n`, 10)).toEqual([
    [
      'document-too-large',
      `the document is ${Buffer.byteLength(small) + 3} bytes, more than the limit of 10 bytes: refused`,
      { file: 'x.json', document: 0, line: 1, column: 1 },
    ],
  ]);
  // Refused without the YAML parser's pass over the whole text (which took seconds and hundreds of MB
  // at the input limit); a YAML text over the limit still goes through it.
  const lex = jest.spyOn(Lexer.prototype, 'lex');
  try {
    refusal(list, 100);
    expect(lex).not.toHaveBeenCalled();
    refusal(`# YAML\n${list}`, 100);
    expect(lex).toHaveBeenCalled();
  } finally {
    lex.mockRestore();
  }
  // Over the limit only by the blank lines before it: the document itself is within it, and loads.
  const within = loadText(`${'\n'.repeat(50)}${small}`, { maxDocumentBytes: Buffer.byteLength(small) + 10 });
  expect(within.diagnostics).toEqual([]);
  expect(within.objects.map((o) => o.metadata.name)).toEqual(['a']);
});

test('a typed JSON list (BackendList, items without kind) points at the exact line of the bad field too', () => {
  const translator = createTranslator({ plugins: [staticPlugin()] });
  const item = ({ apiVersion: _a, kind: _k, ...rest }: ReturnType<typeof backend>) => rest;
  const text = JSON.stringify(
    { apiVersion: 'gateway.kgateway.dev/v1alpha1', kind: 'BackendList', items: [item(backend('a', 80)), item(backend('b', 'eighty'))] },
    null,
    2,
  );
  const result = translator.translateText(text, { file: 'in.json' });
  const line = text.split('\n').findIndex((l) => l.includes('"eighty"')) + 1;
  const bad = result.diagnostics.filter((d) => d.severity === 'error');
  expect(bad).toHaveLength(1);
  expect(formatDiagnostic(bad[0]!)).toContain(`in.json#0:${line}`);
});

test('JSON text after a byte-order mark gives the same objects as the YAML reader', () => {
  const json = loadText(`\uFEFF${list}`, { file: 'in.json' });
  const yaml = loadText(viaYaml(list), { file: 'in.json' });
  expect(withoutSource(json.objects)).toEqual(withoutSource(yaml.objects));
});

test('random JSON Lists load to the objects the YAML reader gives, keys in the same order, items at the same places', () => {
  // Strings with the characters the scan of the text must step over: quotes, backslashes, colons,
  // brackets, commas; some items lack a namespace or carry a key named `source`.
  const tricky = fc.stringMatching(/^[a-z"\\:,{}[\] é\u2028-]{0,8}$/);
  const value = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 3 }),
    object: fc.dictionary(tricky, tie('value'), { maxKeys: 3 }),
  })).value;
  const item = fc.record(
    {
      apiVersion: fc.constant('v1'),
      kind: fc.constantFrom('Secret', 'Service'),
      metadata: fc.record(
        { name: fc.stringMatching(/^[a-z]{1,5}$/), namespace: fc.constant('team'), labels: fc.dictionary(tricky, tricky, { maxKeys: 2 }) },
        { requiredKeys: ['name'] },
      ),
      data: value,
      source: value,
    },
    { requiredKeys: ['apiVersion', 'kind', 'metadata'] },
  );
  fc.assert(
    fc.property(fc.array(item, { maxLength: 5 }), fc.constantFrom(0, 2), (items, indent) => {
      const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, indent);
      const json = loadText(text, { file: 'in.json' });
      const yaml = loadText(viaYaml(text), { file: 'in.json' });
      expect(json.diagnostics).toEqual([]);
      expect(yaml.diagnostics).toEqual([]);
      // JSON.stringify compares key order too.
      expect(JSON.stringify(withoutSource(json.objects))).toBe(JSON.stringify(withoutSource(yaml.objects)));
      expect(json.objects.map((o) => [o.source?.line, o.source?.column])).toEqual(yaml.objects.map((o) => [o.source!.line! - 1, o.source!.column]));
      // The key named `source` is the location, as on the YAML path.
      expect(json.objects.map((o) => Object.keys(o))).toEqual(yaml.objects.map((o) => Object.keys(o)));
    }),
    { numRuns: propertyRuns(300) },
  );
});
