import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Document } from 'yaml';
import { acceptedKinds, loadText, type KubeObject } from '@backendkit/core';
import { lineOf } from '@backendkit/core/helpers';
import { positionOf } from '../src/load';

// Positions (of the value at a path) are recovered when asked, from the text and the range an object was read from
// (docs/performance.md, "The YAML loader"); these tests check that they stay exact.

const backend = (name: string, port: number) =>
  `apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata:\n  name: ${name}\nspec:\n  static:\n    hosts:\n      - host: a.example.com\n        port: ${port}\n`;

/** The 1-based line and column of the first occurrence of `needle` at or after line `fromLine`. */
function where(text: string, needle: string, fromLine = 1): { line: number; column: number } {
  const lines = text.split('\n');
  for (let i = fromLine - 1; i < lines.length; i++) {
    const column = lines[i]!.indexOf(needle);
    if (column >= 0) return { line: i + 1, column: column + 1 };
  }
  throw new Error(`${needle} not found`);
}

const byName = (objects: KubeObject[], name: string) => objects.find((o) => o.metadata.name === name)!;

describe('positions of loaded objects', () => {
  test('a path in any document of a multi-document text, asked in any order', () => {
    const text = Array.from({ length: 30 }, (_, i) => backend(`b${i}`, 8000 + i)).join('---\n');
    const { objects, diagnostics } = loadText(text, { file: 'many.yaml' });
    expect(diagnostics).toEqual([]);
    // Last document first (behind the loader's cursor), then back and forth.
    for (const i of [29, 0, 17, 17, 3, 28]) {
      const object = byName(objects, `b${i}`);
      const start = object.source!.line!;
      expect(positionOf(object, 'spec.static.hosts[0].port')).toEqual(where(text, `${8000 + i}`, start));
      expect(positionOf(object, 'spec.static.hosts[0]')).toEqual(where(text, 'host: a.example.com', start));
      expect(positionOf(object, 'metadata.name')).toEqual(where(text, `b${i}`, start));
      // A missing field points at its nearest ancestor that exists.
      expect(positionOf(object, 'spec.static.hosts[0].appProtocol')).toEqual(where(text, 'host: a.example.com', start));
      expect(positionOf(object, 'spec.dynamic.x')).toEqual(where(text, 'static:', start));
      expect(lineOf(object, 'spec.static.hosts[0].port')).toBe(where(text, `${8000 + i}`, start).line);
    }
  });

  test('items of a kind: List, block and flow, have their own positions, also after a skipped item', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: Deployment',
      '    metadata: {name: skipped}',
      '  - apiVersion: v1',
      '    kind: Service',
      '    metadata:',
      '      name: block',
      '    spec:',
      '      ports:',
      '        - {name: http, port: 80}',
      '  - {apiVersion: v1, kind: Service, metadata: {name: flow}, spec: {ports: [{name: grpc, port: 9090}]}}',
      '',
    ].join('\n');
    const { objects } = loadText(text, { file: 'list.yaml', kinds: acceptedKinds([{ kinds: { Service: ['v1'] } }]) });
    expect(objects.map((o) => [o.metadata.name, o.source?.line, o.source?.column])).toEqual([
      ['block', 7, 5],
      ['flow', 14, 5],
    ]);
    expect(positionOf(byName(objects, 'block'), 'spec.ports[0].port')).toEqual({ line: 13, column: 30 });
    expect(positionOf(byName(objects, 'block'), 'metadata.name')).toEqual({ line: 10, column: 13 });
    expect(positionOf(byName(objects, 'flow'), 'spec.ports[0].port')).toEqual(where(text, '9090'));
    expect(positionOf(byName(objects, 'flow'), 'metadata.name')).toEqual(where(text, 'flow}'));
  });

  test('items of a JSON List, on one line or pretty-printed, also after a skipped item', () => {
    const items = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'skipped' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'one' }, spec: { ports: [{ name: 'http', port: 81 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'two' }, spec: { ports: [{ name: 'http', port: 82 }] } },
    ];
    for (const text of [JSON.stringify({ apiVersion: 'v1', kind: 'List', items }), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)]) {
      const { objects } = loadText(text, { file: 'list.json', kinds: acceptedKinds([{ kinds: { Service: ['v1'] } }]) });
      expect(objects.map((o) => o.metadata.name)).toEqual(['one', 'two']);
      for (const [name, port] of [
        ['two', '82'],
        ['one', '81'],
      ] as const) {
        const object = byName(objects, name);
        const at = where(text, `"name":${text.includes('\n') ? ' ' : ''}"${name}"`);
        expect(object.source).toMatchObject({ file: 'list.json', document: 0 });
        expect(positionOf(object, 'metadata.name')).toEqual({ line: at.line, column: at.column + (text.includes('\n') ? 8 : 7) });
        const portAt = where(text, port, at.line);
        expect(positionOf(object, 'spec.ports[0].port')).toEqual(text.includes('\n') ? portAt : { line: 1, column: text.indexOf(port) + 1 });
      }
    }
  });

  test('a single JSON object: positions from the text read as YAML when asked', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ name: 'a', port: 1 }] } }, null, 2);
    const { objects } = loadText(`\n\n${text}`, { file: 's.json', kinds: acceptedKinds([{ kinds: { Service: ['v1'] } }]) });
    expect(objects[0]!.source).toMatchObject({ line: 3, column: 1 });
    expect(positionOf(objects[0]!, 'spec.ports[0].port')).toEqual({
      ...where(`\n\n${text}`, '"port": 1'),
      column: where(`\n\n${text}`, '"port": 1').column + 8,
    });
  });

  test('objects built in code have no position', () => {
    const object: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'default' } };
    expect(positionOf(object, 'metadata.name')).toBeUndefined();
  });
});

describe('what the loader keeps', () => {
  test('5,000 documents load, and no composed YAML Document outlives loadText while the objects live', async () => {
    // Every Document the loader reads is turned into data once (`toJS`): watch those.
    const documents: Array<WeakRef<object>> = [];
    const toJS = Document.prototype.toJS;
    const spy = jest.spyOn(Document.prototype, 'toJS').mockImplementation(function (this: Document, ...args) {
      documents.push(new WeakRef(this));
      return toJS.apply(this, args);
    });
    const text = Array.from({ length: 5000 }, (_, i) => backend(`b${i}`, 1000 + i)).join('---\n');
    let objects: KubeObject[];
    try {
      objects = loadText(text, { file: 'big.yaml' }).objects;
    } finally {
      spy.mockRestore();
    }
    expect(objects).toHaveLength(5000);
    expect(documents).toHaveLength(5000);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 3; i++) {
      gc();
      // WeakRefs are cleared between jobs, not within one.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(documents.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    // And positions are still exact afterwards.
    const last = objects[4999]!;
    expect(positionOf(last, 'spec.static.hosts[0].port')).toEqual(where(text, '5999'));
  }, 60_000);
});
