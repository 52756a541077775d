import fc from 'fast-check';
import { propertyRuns } from '@backendkit/testing';
import { fromBinary } from '@bufbuild/protobuf';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { createTranslator, formatJson, formatJsonChunks, formatYaml, formatYamlChunks, jsonText, toOutputDocument } from '@backendkit/core';
import { clusterMessage, ClusterSchema, discoveryResponse, envoyJson, packAny, packedAny } from '@backendkit/core/envoy';
import { discovery, registry } from '@backendkit/xds-types';
import { staticPlugin } from '@backendkit/static';
import { parse } from 'yaml';
import { backendYaml } from './toy-plugins';

const input = `${backendYaml('a', 'static:\n  hosts: [{host: 192.0.2.1, port: 80}]')}---\n${backendYaml('b', 'static:\n  hosts: [{host: b.example.com, port: 443}]')}`;
const result = createTranslator({ plugins: [staticPlugin()] }).translateText(input);

test('clusters travel as Any in a DiscoveryResponse and decode to the same JSON', () => {
  const bytes = discoveryResponse(ClusterSchema, result.clusters.map(clusterMessage), 'v1');
  const response = fromBinary(discovery.DiscoveryResponseSchema, bytes);
  expect(response.versionInfo).toBe('v1');
  expect(response.typeUrl).toBe('type.googleapis.com/envoy.config.cluster.v3.Cluster');
  const decoded = response.resources.map((any) => anyUnpack(any, ClusterSchema)!);
  expect(decoded.map((c) => envoyJson(ClusterSchema, c))).toEqual(toOutputDocument(result).clusters);
});

test('packAny gives the type URL Envoy expects and unpacks through the registry', () => {
  const any = packAny(ClusterSchema, clusterMessage(result.clusters[0]!));
  expect(any.typeUrl).toBe('type.googleapis.com/envoy.config.cluster.v3.Cluster');
  const unpacked = anyUnpack(any, registry);
  expect(unpacked && envoyJson(ClusterSchema, unpacked as never)).toEqual(result.clusters[0]);
});

test('messages and binary Any are built on demand, once per result object', () => {
  const json = result.clusters[0]!;
  expect(clusterMessage(json)).toBe(clusterMessage(json));
  expect(envoyJson(ClusterSchema, clusterMessage(json))).toEqual(json);
  const any = packedAny(json);
  expect(packedAny(json)).toBe(any);
  expect(envoyJson(ClusterSchema, anyUnpack(any, ClusterSchema)!)).toEqual(json);
});

test('the YAML output holds the same document as the JSON output', () => {
  const document = toOutputDocument(result);
  const yaml = formatYaml(document);
  expect(yaml).not.toContain('&'); // no anchors or aliases
  expect(parse(yaml)).toEqual(JSON.parse(JSON.stringify(document)));
});

test('the YAML output quotes every string a YAML 1.1 or 1.2 reader would take as a boolean, null or number', () => {
  const strings = [
    'yes',
    'No',
    'ON',
    'off',
    'y',
    'N',
    'true',
    'False',
    '~',
    'null',
    'NULL',
    '0x1F',
    '0o17',
    '-0o5',
    '017',
    '0b101',
    '1_000',
    '12:30',
    '.inf',
    '-.Inf',
    '.NaN',
    '1e3',
    '+1',
    '-2.5',
  ];
  const document = { strings, keys: Object.fromEntries(strings.map((s) => [s, s])) };
  const yaml = formatYaml(document);
  for (const s of strings) expect(yaml).toContain(`- "${s}"\n`);
  expect(parse(yaml, { version: '1.1' })).toEqual(document);
  expect(parse(yaml, { version: '1.2' })).toEqual(document);
  // Real booleans, numbers and null stay plain.
  expect(formatYaml({ a: true, b: 0, c: null, d: 'plain text' })).toBe('a: true\nb: 0\nc: null\nd: plain text\n');
});

test('formatJsonChunks prints the very bytes of formatJson, in pieces', () => {
  const documents: Array<Record<string, unknown>> = [
    toOutputDocument(result),
    { ...toOutputDocument(result), routes: [] },
    { clusters: [], endpoints: [], statuses: [] },
    {},
    { skipped: undefined, list: [undefined, 1, 'a\nb', { x: [] }], text: 'x' },
  ];
  for (const document of documents) expect([...formatJsonChunks(document)].join('')).toBe(formatJson(document));
  const big = { clusters: Array.from({ length: 3000 }, (_, i) => ({ name: `c${i}`, nested: { list: [i, { deep: true }] } })) };
  const chunks = [...formatJsonChunks(big)];
  expect(chunks.length).toBeGreaterThan(1);
  expect(chunks.join('')).toBe(formatJson(big));
});

test('formatJsonChunks prints the very bytes of formatJson on random documents, lists of every length', () => {
  // Lengths around the runs of elements printed together (32) and values of every JSON kind.
  const list = fc.oneof(
    fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 70 }),
    fc.array(fc.constantFrom(undefined, null, 'a\nb', [], {}), { maxLength: 70 }),
  );
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(list, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 4 }), (document) => {
      expect([...formatJsonChunks(document)].join('')).toBe(formatJson(document));
    }),
    { numRuns: propertyRuns(300) },
  );
});

test('formatYamlChunks prints the very bytes of formatYaml, in pieces', () => {
  const documents: Array<Record<string, unknown>> = [
    toOutputDocument(result),
    { ...toOutputDocument(result), routes: [] },
    { clusters: [], endpoints: [], statuses: [] },
    {},
    { skipped: undefined, list: [null, 1, 'a\nb', { x: [] }, [], {}, [[1, [2]], { y: 'yes' }]], text: 'x' },
    // Keys that are quoted, or too long to be written plainly ahead of their list.
    { yes: ['on'], 'a: b': [{ '- c': '#d' }], [`k${'x'.repeat(1100)}`]: [1, 2], '': [''] },
    { multi: [{ text: 'line one\nline two\n', tail: '  spaced  ', block: 'a\n\n  b' }, 'x\ny'] },
  ];
  for (const document of documents) expect([...formatYamlChunks(document)].join('')).toBe(formatYaml(document));
  const big = { clusters: Array.from({ length: 3000 }, (_, i) => ({ name: `c${i}`, nested: { list: [i, { deep: true, text: 'a\nb' }] } })), statuses: [] };
  const chunks = [...formatYamlChunks(big)];
  expect(chunks.length).toBeGreaterThan(1);
  expect(chunks.join('')).toBe(formatYaml(big));
});

test('formatYamlChunks prints what formatYaml prints, for any JSON document of lists', () => {
  const json = fc.jsonValue({ maxDepth: 4 });
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.oneof(fc.array(json, { maxLength: 5 }), json), { maxKeys: 4 }), (document) => {
      expect([...formatYamlChunks(document)].join('')).toBe(formatYaml(document));
    }),
    { numRuns: propertyRuns(300), seed: 20261202 },
  );
});

test('jsonText prints the bytes of JSON.stringify, for any document of JSON data', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.oneof(fc.array(fc.jsonValue()), fc.jsonValue())), (document) => {
      expect(jsonText(document)).toBe(JSON.stringify(document));
      // Printed again (elements' texts now kept): the same bytes.
      expect(jsonText(document)).toBe(JSON.stringify(document));
    }),
    { numRuns: 300, seed: 20261202 },
  );
  expect(jsonText({ a: [undefined, null, 1, { b: undefined }], skipped: undefined, c: 'x' })).toBe(
    JSON.stringify({ a: [undefined, null, 1, { b: undefined }], skipped: undefined, c: 'x' }),
  );
});

test('jsonText after an incremental re-translation: the same bytes as printing the result afresh', () => {
  const translator = createTranslator({ plugins: [staticPlugin()] });
  const objects = (n: number) =>
    ['a', 'b', 'c'].map((name, i) => ({
      apiVersion: 'gateway.kgateway.dev/v1alpha1',
      kind: 'Backend',
      metadata: { name, namespace: 'default', resourceVersion: `${name}-${i === 1 ? n : 0}` },
      spec: { static: { hosts: [{ host: `192.0.2.${i + 1}`, port: i === 1 ? 8000 + n : 80 }] } },
    }));
  const first = translator.translate(objects(0));
  expect(jsonText(toOutputDocument(first))).toBe(JSON.stringify(toOutputDocument(first)));
  const again = translator.translate(objects(1));
  expect(again.clusters[0]).toBe(first.clusters[0]);
  expect(jsonText(toOutputDocument(again))).toBe(JSON.stringify(toOutputDocument(again)));
  expect(jsonText(toOutputDocument(again))).toContain('8001');
});

test('jsonText over lists edited between prints (kept runs reused or printed again): the bytes of JSON.stringify', () => {
  const element = fc.oneof(fc.record({ name: fc.string(), n: fc.integer() }), fc.jsonValue({ maxDepth: 1 }));
  const edit = fc.tuple(fc.constantFrom('insert', 'remove', 'replace', 'move'), fc.nat(), element);
  fc.assert(
    fc.property(fc.array(element, { maxLength: 700 }), fc.array(edit, { maxLength: 6 }), (initial, edits) => {
      let list = [...initial];
      expect(jsonText({ list })).toBe(JSON.stringify({ list }));
      for (const [kind, at, value] of edits) {
        const i = list.length === 0 ? 0 : at % list.length;
        list = [...list];
        if (kind === 'insert') list.splice(i, 0, value);
        else if (kind === 'remove') list.splice(i, 1);
        else if (kind === 'replace') list[i] = value;
        else list.push(...list.splice(i, 1));
        expect(jsonText({ list })).toBe(JSON.stringify({ list }));
      }
    }),
    { numRuns: propertyRuns(200), seed: 20261202 },
  );
});
