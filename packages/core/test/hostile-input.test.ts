import { createTranslator, formatDiagnostic, LOAD_LIMITS, loadText, type Diagnostic } from '@backendkit/core';
import { staticPlugin } from '@backendkit/static';

const backend = (name: string, spec = 'static: {hosts: [{host: a.example.com, port: 80}]}') =>
  `apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata:\n  name: ${name}\nspec:\n  ${spec}\n`;

/** The classic "billion laughs": nine levels of nine aliases each, 9^9 strings once expanded. */
function aliasBomb(): string {
  let text = 'apiVersion: v1\nkind: Secret\nmetadata: {name: lol}\nstringData:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) {
    text += `  ${names[i]}: &${names[i]} [${Array(9)
      .fill(`*${names[i - 1]}`)
      .join(', ')}]\n`;
  }
  return text;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

const lines = (diagnostics: Diagnostic[]) => diagnostics.map(formatDiagnostic);

describe('YAML alias bombs', () => {
  test('are refused in bounded time and memory, and the other documents still load', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const { value, ms } = timed(() => loadText(`${backend('before')}---\n${aliasBomb()}---\n${backend('after')}`, { file: 'lol.yaml' }));
    expect(lines(value.diagnostics)).toEqual([
      'error: lol.yaml#1:8: cannot read document: aliases expand to more than maxAliasCount (100) allows, weighted by what they hold ("billion laughs")',
    ]);
    expect(value.objects.map((o) => o.metadata.name)).toEqual(['before', 'after']);
    // Expanded, the bomb is ~387 million strings: gigabytes and minutes. Refused, it is neither.
    expect(ms).toBeLessThan(2000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  test('ordinary aliases still work: one hosts list shared by several Backends of a List', () => {
    const items = Array.from({ length: 20 }, (_, i) =>
      i === 0
        ? '- {apiVersion: gateway.kgateway.dev/v1alpha1, kind: Backend, metadata: {name: b0}, spec: {static: {hosts: &hosts [{host: a.example.com, port: 80}]}}}'
        : `- {apiVersion: gateway.kgateway.dev/v1alpha1, kind: Backend, metadata: {name: b${i}}, spec: {static: {hosts: *hosts}}}`,
    );
    const { objects, diagnostics } = loadText(`apiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`);
    expect(diagnostics).toEqual([]);
    expect(objects).toHaveLength(20);
    expect(objects[19]!.spec).toEqual({ static: { hosts: [{ host: 'a.example.com', port: 80 }] } });
  });

  test('maxAliasCount is a load option', () => {
    const text = `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  a: &x [1]\n  b: [${Array(12).fill('*x').join(', ')}]\n`;
    expect(loadText(text, { maxAliasCount: 10 }).diagnostics.map((d) => d.message)).toEqual([
      'cannot read document: aliases expand to more than maxAliasCount (10) allows, weighted by what they hold ("billion laughs")',
    ]);
    expect(loadText(text, { maxAliasCount: 20 }).diagnostics).toEqual([]);
  });

  test('aliases that multiply a document beyond maxValues are refused', () => {
    const big = `[${Array(1000).fill('0').join(',')}]`;
    const text = `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  a: &a ${big}\n  b: [${Array(90).fill('*a').join(',')}]\n`;
    const { objects, diagnostics } = loadText(text, { file: 'm.yaml', maxValues: 50_000 });
    expect(objects).toEqual([]);
    expect(lines(diagnostics)).toEqual([
      expect.stringMatching(
        /^error: m\.yaml#0:6: stringData\.b\[\d+\]\[\d+\]: the document holds more than 50000 values once its aliases are expanded: document refused$/,
      ),
    ]);
  });

  test('an alias that contains itself (a cycle) is refused instead of looping', () => {
    const text = `${backend('ok')}---\napiVersion: v1\nkind: Service\nmetadata: {name: loop}\nspec: &s\n  self: *s\n`;
    const { objects, diagnostics } = loadText(text, { file: 'c.yaml' });
    expect(objects.map((o) => o.metadata.name)).toEqual(['ok']);
    expect(lines(diagnostics)).toEqual(['error: c.yaml#1:12: spec.self: an alias here refers to a map or list that contains it (a cycle): document refused']);
  });
});

describe('oversized input', () => {
  test('text over maxInputBytes is refused before parsing, quickly', () => {
    const text = backend('x') + `# ${'x'.repeat(LOAD_LIMITS.maxInputBytes)}\n`;
    const { value, ms } = timed(() => loadText(text, { file: 'big.yaml' }));
    expect(value.objects).toEqual([]);
    expect(lines(value.diagnostics)).toEqual(['error: big.yaml#0: the input is 16 MiB, more than the limit of 16 MiB: nothing read']);
    expect(value.diagnostics[0]!.code).toBe('input-too-large');
    expect(ms).toBeLessThan(500);
  });

  test('sizes count UTF-8 bytes, not characters', () => {
    const text = `${backend('x')}# ${'é'.repeat(600)}\n`; // ~1,300 bytes, ~700 characters
    expect(loadText(text, { maxInputBytes: 1000 }).diagnostics[0]?.message).toMatch(/^the input is 1\.\d KiB, more than the limit of 1000 bytes/);
    expect(loadText(text, { maxInputBytes: 2000 }).diagnostics).toEqual([]);
  });

  test('one document over maxDocumentBytes is refused; the others load and keep their numbers', () => {
    const huge = `apiVersion: v1\nkind: Secret\nmetadata: {name: huge}\nstringData: {blob: "${'x'.repeat(5000)}"}\n`;
    const { objects, diagnostics } = loadText(`${backend('a')}---\n${huge}---\n${backend('b')}`, { file: 'd.yaml', maxDocumentBytes: 4096 });
    expect(objects.map((o) => [o.metadata.name, o.source?.document])).toEqual([
      ['a', 0],
      ['b', 2],
    ]);
    expect(lines(diagnostics)).toEqual(['error: d.yaml#1:7: the document is 5 KiB, more than the limit of 4 KiB: refused']);
  });

  test('huge strings within the limits load and translate into diagnostics, not crashes', () => {
    const long = 'a'.repeat(1_000_000);
    const text = `${backend('long-host', `static: {hosts: [{host: ${long}, port: 80}]}`)}---\n${backend('long-key', `static: {hosts: [{host: a.example.com, port: 80}], ${long}: 1}`)}`;
    const loaded = loadText(text);
    expect(loaded.diagnostics).toEqual([]);
    const result = createTranslator({ plugins: [staticPlugin()] }).translate(loaded.objects);
    expect(result.clusters).toEqual([]);
    expect(result.diagnostics.map((d) => [d.resource?.name, d.code, d.path?.length])).toEqual([
      ['long-host', 'invalid-field', 'spec.static.hosts[0].host'.length],
      ['long-key', 'unknown-field', `spec.static.${long}`.length],
    ]);
  });
});

describe('deep nesting', () => {
  const nested = (depth: number, open: string, close: string, leaf = '1') => `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;

  test.each([
    ['flow lists', (d: number) => `spec: ${nested(d, '[', ']')}`, 4],
    ['flow maps', (d: number) => `spec: ${nested(d, '{a: ', '}')}`, 4],
    ['JSON', (d: number) => `"spec": ${nested(d, '{"a": ', '}')}`, 4],
    ['block lists', (d: number) => `spec:\n  ${'- '.repeat(d)}x`, 5],
    ['explicit keys', (d: number) => `spec:\n  ${'? '.repeat(d)}x`, 5],
    ['indentation', (d: number) => `spec:\n${Array.from({ length: d }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')}`, 69],
  ])('%s nested far too deep are refused in bounded time, without overflowing the stack', (name, body, line) => {
    // Indentation costs a column per level, so that one is 3,000 levels (4.5 MB); the others 100,000.
    const depth = name === 'indentation' ? 3000 : 100_000;
    const text = `apiVersion: v1\nkind: Service\nmetadata: {name: deep}\n${body(depth)}\n---\n${backend('after')}`;
    const { value, ms } = timed(() => loadText(text, { file: 'deep.yaml', maxDocumentBytes: 8 * 1024 * 1024 }));
    expect(lines(value.diagnostics)).toEqual([`error: deep.yaml#0:${line}: maps and lists nest more than 64 levels deep: document refused`]);
    expect(value.diagnostics[0]!.code).toBe('too-deep');
    expect(value.objects.map((o) => o.metadata.name)).toEqual(['after']);
    expect(ms).toBeLessThan(10_000);
  });

  test('nesting up to maxDepth loads; one level more does not', () => {
    // The object itself is level 1, the list under `spec` level 2.
    const at = (levels: number) => `apiVersion: v1\nkind: Service\nmetadata: {name: d}\nspec: ${nested(levels - 1, '[', ']')}\n`;
    expect(loadText(at(64)).diagnostics).toEqual([]);
    expect(loadText(at(65)).diagnostics.map((d) => d.code)).toEqual(['too-deep']);
    expect(loadText(at(65), { maxDepth: 65 }).diagnostics).toEqual([]);
  });

  test('a maxDepth above 1000 still stops the parser at 1000 levels', () => {
    const text = `spec:\n  ${'- '.repeat(50_000)}x\n...\n${backend('after')}`;
    const { objects, diagnostics } = loadText(text, { maxDepth: 1_000_000 });
    expect(diagnostics.map((d) => d.message)).toEqual(['maps and lists nest more than 1000 levels deep: document refused']);
    expect(objects.map((o) => [o.metadata.name, o.source?.document])).toEqual([['after', 1]]);
  });
});

describe('prototype pollution', () => {
  const polluting = [
    'apiVersion: gateway.kgateway.dev/v1alpha1',
    'kind: Backend',
    'metadata:',
    '  name: evil',
    '  labels: {constructor: x, prototype: y}',
    'constructor: {prototype: {polluted: yes}}',
    'prototype: {polluted: yes}',
    'spec:',
    '  static:',
    '    hosts: [{host: a.example.com, port: 80, constructor: {prototype: {polluted: yes}}}]',
    '  constructor: {prototype: {polluted: yes}}',
    '---',
    'apiVersion: gateway.kgateway.dev/v1alpha1',
    'kind: Backend',
    'metadata: {name: proto}',
    'spec:',
    '  static:',
    '    hosts: [{host: a.example.com, port: 80}]',
    '    __proto__: {polluted: yes}',
    '---',
    '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"__proto__": {"polluted": "yes"}}}',
    '',
  ].join('\n');

  afterEach(() => {
    // Clean up if a test failed, so that one failure does not cascade.
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  test('__proto__ keys refuse the document; constructor/prototype keys stay plain data', () => {
    const { objects, diagnostics } = loadText(polluting, { file: 'p.yaml' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(lines(diagnostics)).toEqual([
      'error: p.yaml#1:19: spec.static.__proto__: a key named "__proto__" is not allowed: document refused',
      'error: p.yaml#2:21: stringData.__proto__: a key named "__proto__" is not allowed: document refused',
    ]);
    expect(objects.map((o) => o.metadata.name)).toEqual(['evil']);
    const evil = objects[0]!;
    expect(Object.getPrototypeOf(evil)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(evil.constructor)).toEqual(['prototype']);
  });

  test('translating such input pollutes nothing and reports the unknown fields', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const { objects } = loadText(polluting);
    const result = createTranslator({ plugins: [staticPlugin()] }).translate(objects);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(result.diagnostics.map((d) => d.path)).toEqual(['spec.constructor', 'spec.static.hosts[0].constructor']);
  });

  test('objects built in code (JSON.parse gives own __proto__ keys) are translated safely too', () => {
    const objects = JSON.parse(
      JSON.stringify([
        {
          apiVersion: 'gateway.kgateway.dev/v1alpha1',
          kind: 'Backend',
          metadata: { name: 'j', namespace: 'default' },
          spec: { static: { hosts: [{ host: 'a.example.com', port: 80 }] } },
        },
      ]).replace('"static"', '"__proto__": {"polluted": "yes"}, "static"'),
    );
    const result = createTranslator({ plugins: [staticPlugin()] }).translate(objects);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.clusters).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.path])).toEqual([['unknown-field', 'spec.__proto__']]);
  });
});

describe('values YAML has but JSON does not', () => {
  test.each([
    ['!!binary', 'data: !!binary aGVsbG8=', 'data: a Buffer is not JSON data'],
    ['!!set', 'data: !!set {a, b}', 'data: a Set is not JSON data'],
    ['!!omap (YAML 1.1)', 'data: !!omap [{a: 1}]', 'data: a Map is not JSON data'],
  ])('%s is refused with a path', (_, line, message) => {
    const { objects, diagnostics } = loadText(`apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n${line}\n`, { file: 't.yaml' });
    expect(objects).toEqual([]);
    expect(lines(diagnostics)).toEqual([`error: t.yaml#0:4: ${message} (from a YAML tag such as !!binary or !!set?): document refused`]);
  });
});

describe('malformed YAML', () => {
  test.each([
    // yaml reports unclosed things where the input ends.
    ['an unclosed flow map', `${backend('a')}---\nkind: Backend\nmetadata: {name: x\n`, 1, 10],
    ['a tab used for indentation', `${backend('a')}---\n${backend('b')}---\nkind: Service\nmetadata:\n\tname: t\n`, 2, 17],
    ['an unclosed quote', `apiVersion: v1\nkind: Service\nmetadata: {name: "q}\n`, 0, 4],
    ['a bad indentation', `apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n   namespace: b\n`, 0, 4],
    // Errors found while reading the composed document point at where it starts.
    ['an alias to no anchor', `apiVersion: v1\nkind: Service\nmetadata: *nothing\n`, 0, 1],
  ])('%s: the error names file, document and line', (_, text, document, line) => {
    const { diagnostics } = loadText(text, { file: 'bad.yaml' });
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(formatDiagnostic(diagnostics[0]!)).toMatch(
      new RegExp(`^error: bad\\.yaml#${document}:${line}: (invalid YAML at column \\d+|cannot read document): `),
    );
  });

  test('binary junk does not throw', () => {
    let junk = '';
    for (let i = 0; i < 5000; i++) junk += String.fromCharCode((i * 7919) % 65536);
    expect(() => loadText(junk)).not.toThrow();
    expect(loadText(junk).diagnostics.length).toBeGreaterThan(0);
  });
});
