import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import type { DescMessage, JsonObject, JsonValue } from '@bufbuild/protobuf';
import { checkStrict, ClusterLoadAssignmentSchema, ClusterSchema, envoyJson, parseStrict } from '@backendkit/core/envoy';
import { envoyMessage } from '../src/envoy-schema';
import { isVouched, strictJson } from '../src/strict-json';
import { frozenJson } from '@backendkit/core/helpers';

// The schema walk (docs/performance.md, "Clusters stay JSON") must never accept what protobuf-es
// `fromJson` rejects, and must print what `toJson(fromJson(...))` prints for what it accepts.

// The walk reads the schema table (../src/envoy-schema); the reference is protobuf-es with its descriptors.
const walk = (schema: DescMessage, json: JsonValue): JsonObject | undefined => strictJson(envoyMessage(schema.typeName)!, json);

const reference = (json: JsonValue): JsonObject | undefined => {
  const parsed = parseStrict(ClusterSchema, json);
  return parsed.ok ? envoyJson(ClusterSchema, parsed.message) : undefined;
};

const dns = { '@type': 'type.googleapis.com/envoy.extensions.clusters.dns.v3.DnsCluster', dnsLookupFamily: 'V4_PREFERRED' };
const good: JsonObject = {
  name: 'c',
  connectTimeout: '5s',
  clusterType: { name: 'envoy.clusters.dns', typedConfig: dns },
  loadAssignment: {
    clusterName: 'c',
    endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: 'a.example.com', portValue: 443 } } } }] }],
  },
};

const bad: Array<[string, JsonValue]> = [
  ['an unknown field', { name: 'c', nope: 1 }],
  ['an unknown field inside an Any', { name: 'c', clusterType: { name: 'x', typedConfig: { ...dns, nope: true } } }],
  ['an Any of an unknown type', { name: 'c', clusterType: { name: 'x', typedConfig: { '@type': 'type.googleapis.com/no.Such' } } }],
  ['an Any without @type', { name: 'c', clusterType: { name: 'x', typedConfig: { dnsLookupFamily: 'V4_ONLY' } } }],
  ['a bad enum name', { name: 'c', type: 'STRICTER_DNS' }],
  ['a bad enum inside an Any', { name: 'c', clusterType: { name: 'x', typedConfig: { ...dns, dnsLookupFamily: 'V5' } } }],
  ['a string for a number', { name: 'c', perConnectionBufferLimitBytes: 'many' }],
  ['a negative unsigned number', { name: 'c', perConnectionBufferLimitBytes: -1 }],
  ['a fraction for an integer', { name: 'c', perConnectionBufferLimitBytes: 1.5 }],
  ['a number too large for uint32', { name: 'c', perConnectionBufferLimitBytes: 2 ** 32 }],
  ['a number for a string', { name: 63 }],
  ['a string for a bool', { name: 'c', respectDnsTtl: 'yes' }],
  ['an object for a list', { name: 'c', loadAssignment: { endpoints: {} } }],
  ['a list for a message', { name: 'c', loadAssignment: [] }],
  ['a bad duration', { name: 'c', connectTimeout: 'five seconds' }],
  ['a duration as a number', { name: 'c', connectTimeout: 5 }],
  ['a duration out of range', { name: 'c', connectTimeout: '999999999999999s' }],
  ['two members of a oneof', { name: 'c', type: 'STATIC', clusterType: { name: 'x' } }],
  ['a field in both spellings', { name: 'c', lbPolicy: 'MAGLEV', lb_policy: 'RANDOM' }],
  ['a field in both spellings, the first at its default', { name: 'c', lbPolicy: 'ROUND_ROBIN', lb_policy: 'MAGLEV' }],
  ['a field in both spellings, the snake case first at its default', { name: 'c', respect_dns_ttl: false, respectDnsTtl: true }],
  [
    'a port in a string for a number field inside a list',
    { name: 'c', loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { portValue: 'http' } } } }] }] } },
  ],
  ['a scalar where a message goes', { name: 'c', loadAssignment: 'x' }],
  ['a bad item in a map of messages', { name: 'c', typedExtensionProtocolOptions: { x: { '@type': 'type.googleapis.com/no.Such' } } }],
];

test.each(bad)('the walk refuses %s, and so does fromJson', (_what, json) => {
  expect(walk(ClusterSchema, json)).toBeUndefined();
  expect(parseStrict(ClusterSchema, json).ok).toBe(false);
  expect(checkStrict(ClusterSchema, json).ok).toBe(false);
});

test('a valid cluster prints as toJson prints it: field-number order, defaults left out, canonical spellings', () => {
  const odd: JsonObject = { respectDnsTtl: false, ...good, connectTimeout: '1.500000000s', perConnectionBufferLimitBytes: 0 };
  const walked = walk(ClusterSchema, odd);
  expect(walked).toBeDefined();
  expect(JSON.stringify(walked)).toBe(JSON.stringify(reference(odd)));
  expect(walked!.connectTimeout).toBe('1.500s');
});

test('a frozen part that prints as it is stays the same object; any other part is a copy', () => {
  const freeze = <T extends object>(value: T): T => Object.freeze(value);
  const socket = freeze({ address: '10.0.0.1', portValue: 80 });
  const lbEndpoints = freeze([freeze({ endpoint: freeze({ address: freeze({ socketAddress: socket }) }) })]);
  const locality = freeze({ lbEndpoints, loadBalancingWeight: 1 });
  const endpoints = freeze([locality]);
  const walked = walk(ClusterLoadAssignmentSchema, { clusterName: 'c', endpoints }) as { endpoints: unknown[] };
  expect(walked.endpoints).toBe(endpoints);
  // Not frozen: a copy, though it prints the same.
  const open = { clusterName: 'c', endpoints: [{ lbEndpoints: [...lbEndpoints], loadBalancingWeight: 1 }] };
  const copied = walk(ClusterLoadAssignmentSchema, open) as { endpoints: Array<{ lbEndpoints: unknown }> };
  expect(copied.endpoints).not.toBe(open.endpoints);
  expect(copied.endpoints[0]).not.toBe(open.endpoints[0]);
  expect(copied.endpoints[0]!.lbEndpoints).not.toBe(open.endpoints[0]!.lbEndpoints);
  expect((copied.endpoints[0]!.lbEndpoints as unknown[])[0]).toBe(lbEndpoints[0]);
  // Frozen but not as toJson prints it (fields out of order, a default, a long duration): a copy.
  const outOfOrder = freeze({ loadBalancingWeight: 1, lbEndpoints });
  const withDefault = freeze({ address: '10.0.0.1', portValue: 80, protocol: 'TCP' });
  for (const [schema, json] of [
    [ClusterLoadAssignmentSchema, { clusterName: 'c', endpoints: freeze([outOfOrder]) }],
    [
      ClusterLoadAssignmentSchema,
      {
        clusterName: 'c',
        endpoints: freeze([freeze({ lbEndpoints: freeze([freeze({ endpoint: freeze({ address: freeze({ socketAddress: withDefault }) }) })]) })]),
      },
    ],
    [ClusterSchema, { name: 'c', commonLbConfig: freeze({ updateMergeWindow: '1.000s' }) }],
  ] as const) {
    const out = walk(schema, json as JsonObject)!;
    expect(JSON.stringify(out)).toBe(JSON.stringify(reference2(schema, json as JsonObject)));
    expect(JSON.stringify(out)).not.toBe(JSON.stringify(json));
  }
});

test('the walk reads own keys only: an object of another prototype, or a polluted Object.prototype, is left to fromJson', () => {
  // A class instance: fromJson reads its own keys; the walk leaves it to fromJson (undefined).
  class Part {
    portValue = 443;
  }
  const socketAddress = Object.assign(new Part(), { address: 'a.example.com' });
  const withInstance = { name: 'c', loadAssignment: { clusterName: 'c', endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress } } }] }] } };
  expect(walk(ClusterSchema, withInstance as unknown as JsonObject)).toBeUndefined();
  expect(checkStrict(ClusterSchema, withInstance as unknown as JsonObject)).toEqual({ ok: true, json: reference(withInstance as unknown as JsonObject) });
  // An inherited key that names a field: fromJson does not see it, and the walk must not print it.
  const inherited = Object.assign(Object.create({ connectTimeout: '9s' }) as JsonObject, { name: 'c' });
  expect(walk(ClusterSchema, inherited)).toBeUndefined();
  // An enumerable key on Object.prototype: every object would meet it in `for in`.
  Object.defineProperty(Object.prototype, 'connectTimeout', { value: '9s', enumerable: true, configurable: true });
  try {
    expect(walk(ClusterSchema, { name: 'c' })).toBeUndefined();
  } finally {
    delete (Object.prototype as Record<string, unknown>).connectTimeout;
  }
  expect(walk(ClusterSchema, { name: 'c' })).toEqual({ name: 'c' });
});

test('a frozen Any, map or shared part that prints as it is stays itself, walked again or not; a vouched part is not vouched for another type', () => {
  const freeze = <T extends object>(value: T): T => Object.freeze(value);
  // `@type` last, as toJson writes it: kept; first: a copy with `@type` moved last.
  const typedLast = freeze({ dnsLookupFamily: 'V4_PREFERRED', '@type': dns['@type'] });
  const typedFirst = freeze({ ...dns });
  const clusterType = freeze({ name: 'envoy.clusters.dns', typedConfig: typedLast });
  for (let round = 0; round < 2; round++) {
    const walked = walk(ClusterSchema, { name: 'c', clusterType }) as { clusterType: unknown };
    expect(walked.clusterType).toBe(clusterType);
    expect(JSON.stringify(walked)).toBe(JSON.stringify(reference({ name: 'c', clusterType })));
    const moved = walk(ClusterSchema, { name: 'c', clusterType: { name: 'x', typedConfig: typedFirst } }) as { clusterType: { typedConfig: unknown } };
    expect(moved.clusterType.typedConfig).not.toBe(typedFirst);
    expect(Object.keys(moved.clusterType.typedConfig as object)).toEqual(['dnsLookupFamily', '@type']);
  }
  const options = freeze({
    explicitHttpConfig: freeze({ http2ProtocolOptions: freeze({}) }),
    '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
  });
  const map = freeze({ 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': options });
  const withMap = walk(ClusterSchema, { name: 'c', typedExtensionProtocolOptions: map }) as { typedExtensionProtocolOptions: unknown };
  expect(withMap.typedExtensionProtocolOptions).toBe(map);
  const open = { 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': options };
  const openWalked = walk(ClusterSchema, { name: 'c', typedExtensionProtocolOptions: open }) as { typedExtensionProtocolOptions: Record<string, unknown> };
  expect(openWalked.typedExtensionProtocolOptions).not.toBe(open);
  expect(Object.values(openWalked.typedExtensionProtocolOptions)[0]).toBe(options);
  // Vouched as a cluster's `clusterType`, the same object is no `commonLbConfig`: the walk refuses it.
  expect(walk(ClusterSchema, { name: 'c', commonLbConfig: clusterType as never })).toBeUndefined();
  expect(parseStrict(ClusterSchema, { name: 'c', commonLbConfig: clusterType as never }).ok).toBe(false);
  // Vouched as an Any, it is no DnsCluster message: `@type` is not one of its fields.
  expect(strictJson(envoyMessage('envoy.extensions.clusters.dns.v3.DnsCluster')!, typedLast)).toBeUndefined();
});

test('isVouched: what the walk kept as it is, frozen all through; not a frozen list with a part that is not', () => {
  const socket = Object.freeze({ address: '10.0.0.9', portValue: 80 });
  const kept = Object.freeze([
    Object.freeze({ lbEndpoints: Object.freeze([Object.freeze({ endpoint: Object.freeze({ address: Object.freeze({ socketAddress: socket }) }) })]) }),
  ]);
  const shallow = Object.freeze([{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '10.0.0.9', portValue: 80 } } } }] }]);
  expect(isVouched(kept)).toBe(false);
  walk(ClusterLoadAssignmentSchema, { clusterName: 'c', endpoints: kept } as never);
  walk(ClusterLoadAssignmentSchema, { clusterName: 'c', endpoints: shallow } as never);
  expect(isVouched(kept)).toBe(true);
  expect(isVouched(shallow)).toBe(false);
});

const reference2 = (schema: typeof ClusterSchema | typeof ClusterLoadAssignmentSchema, json: JsonObject): JsonObject => {
  const parsed = parseStrict(schema, json);
  if (!parsed.ok) throw new Error(parsed.error);
  return envoyJson(schema, parsed.message as never);
};

test('spellings the walk leaves to fromJson still pass through checkStrict', () => {
  // A 64-bit number in a string with a leading zero, a port number as a string: fromJson accepts both.
  const json = {
    name: 'c',
    loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: 'h', portValue: '80' } } } }] }] },
  };
  expect(walk(ClusterSchema, json)).toBeUndefined();
  const checked = checkStrict(ClusterSchema, json);
  expect(checked).toEqual({ ok: true, json: reference(json) });
});

test('every golden cluster and assignment: the walk accepts it and prints it byte for byte', () => {
  const root = join(__dirname, '..', '..', '..');
  const files = execFileSync('git', ['ls-files', '*.golden.json'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  let checked = 0;
  for (const file of files) {
    const document = JSON.parse(readFileSync(join(root, file), 'utf8')) as { clusters?: JsonObject[]; endpoints?: JsonObject[] };
    for (const cluster of document.clusters ?? []) {
      expect(JSON.stringify(walk(ClusterSchema, cluster))).toBe(JSON.stringify(cluster));
      checked++;
    }
    for (const assignment of document.endpoints ?? []) {
      expect(JSON.stringify(walk(ClusterLoadAssignmentSchema, assignment))).toBe(JSON.stringify(assignment));
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(50);
});

/** Values of every JSON kind, right and wrong for the fields below. */
const anyValue: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constantFrom<JsonValue>(
    0,
    1,
    -1,
    1.5,
    2 ** 32,
    2 ** 53,
    -0,
    '',
    '0',
    '01',
    '5s',
    '1.5s',
    '-1s',
    'STATIC',
    'V4_ONLY',
    true,
    false,
    null,
    [],
    {},
    [1],
    ['a'],
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
);
const FIELDS = [
  'name',
  'type',
  'connectTimeout',
  'connect_timeout',
  'perConnectionBufferLimitBytes',
  'respectDnsTtl',
  'dnsLookupFamily',
  'altStatName',
  'clusterType',
  'loadAssignment',
  'lbPolicy',
  'nope',
];
const arbitraryCluster: fc.Arbitrary<JsonValue> = fc
  .dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: 5 })
  .map((fields) => ({ name: 'c', ...fields }));
const nested: fc.Arbitrary<JsonValue> = fc
  .record({
    family: anyValue,
    port: anyValue,
    address: anyValue,
    extra: fc.option(fc.constantFrom('nope', 'dns_lookup_family', 'dnsRefreshRate'), { nil: undefined }),
    value: anyValue,
  })
  .map(({ family, port, address, extra, value }) => ({
    name: 'c',
    clusterType: { name: 'x', typedConfig: { ...dns, dnsLookupFamily: family, ...(extra ? { [extra]: value } : {}) } },
    loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address, portValue: port } } } }] }] },
  }));

const structs: fc.Arbitrary<JsonValue> = fc
  .dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>, { maxKeys: 4 })
  .map((fields) => ({ name: 'c', metadata: { filterMetadata: { x: fields } } }));

test('property: whatever the walk accepts, fromJson accepts and toJson prints the same', () => {
  let accepted = 0;
  fc.assert(
    fc.property(fc.oneof(arbitraryCluster, nested, structs), (json) => {
      const walked = walk(ClusterSchema, json);
      if (walked === undefined) return;
      accepted++;
      expect(JSON.stringify(walked)).toBe(JSON.stringify(reference(json)));
    }),
    { numRuns: 3000 },
  );
  // Both sides are exercised: some inputs are accepted, the rest are left to fromJson.
  expect(accepted).toBeGreaterThan(100);
  expect(accepted).toBeLessThan(3000);
});

test('frozenJson freezes a part and every part inside it, and returns it', () => {
  const part = { a: { b: [{ c: 1 }] }, d: 'x' };
  expect(frozenJson(part)).toBe(part);
  expect(Object.isFrozen(part) && Object.isFrozen(part.a) && Object.isFrozen(part.a.b) && Object.isFrozen(part.a.b[0])).toBe(true);
  expect(frozenJson('text')).toBe('text');
});
