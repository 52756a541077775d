import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { z } from 'zod';
import { createTranslator, definePlugin, formatDiagnostic, type KubeObject } from '@backendkit/core';
import { staticPlugin } from '@backendkit/static';
import { screenEnvelopes } from '../src/envelope';
import { isData } from '../src/snapshot';
import { backendYaml } from './toy-plugins';

const translator = () => createTranslator({ plugins: [staticPlugin()] });
const backend = (namespace: string | undefined, name: string): KubeObject =>
  ({
    apiVersion: 'gateway.kgateway.dev/v1alpha1',
    kind: 'Backend',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    spec: { static: { hosts: [{ host: 'api.example.com', port: 443 }] } },
  }) as KubeObject;

describe('names', () => {
  test('a_b/c and a/b_c would share a cluster name: both are refused as Kubernetes refuses them', () => {
    const result = translator().translate([backend('a_b', 'c'), backend('a', 'b_c')]);
    expect(result.clusters).toEqual([]);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'error: metadata.namespace: Backend objects[0]: metadata.namespace "a_b" is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit; at most 63 characters): skipped',
      'error: metadata.name: Backend objects[1]: metadata.name "b_c" is not a DNS-1123 subdomain (lowercase letters, digits and "-", starting and ending with a letter or digit; labels of at most 63 characters joined by dots, 253 in all): skipped',
    ]);
  });

  test.each([
    ['namespace', 'Default'],
    ['namespace', 'a.b'],
    ['namespace', '-a'],
    ['namespace', 'a'.repeat(64)],
    ['name', 'Web'],
    ['name', 'web-'],
    ['name', 'a..b'],
    ['name', `${'a'.repeat(64)}.b`],
    ['name', `${'a'.repeat(63)}.`.repeat(4) + 'b'],
    ['name', 'a\nerror: forged line'],
    ['name', ''],
  ])('metadata.%s %j is refused', (field, value) => {
    const object = field === 'namespace' ? backend(value, 'web') : backend('default', value);
    const result = translator().translate([object]);
    expect(result.clusters).toEqual([]);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ severity: 'error', path: `metadata.${field}` });
  });

  test('dotted names, digits and dashes are accepted', () => {
    const result = translator().translate([backend('team-1', 'api.v2'), backend('0', `${'a'.repeat(63)}.b`)]);
    expect(result.diagnostics).toEqual([]);
    expect(result.clusters.map((c) => c.name)).toEqual(['backend_0_' + 'a'.repeat(63) + '.b_0', 'backend_team-1_api.v2_0']);
  });

  test('loaded objects are checked too, with their file and line', () => {
    const result = translator().translateText(backendYaml('Web_1', 'static:\n  hosts: [{host: a.example.com, port: 80}]'), { file: 'in.yaml' });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^error: in\.yaml#0:1: metadata\.name: Backend: metadata\.name "Web_1" is not a DNS-1123 subdomain/),
    ]);
  });
});

describe('objects defined twice', () => {
  const secret = (value: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ntype: Opaque\nstringData:\n  key: ${value}\n`;
  const slice =
    'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-1\n  labels: {kubernetes.io/service-name: web}\naddressType: IPv4\nendpoints: []\n';
  const grant =
    'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: g\n  namespace: other\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]\n  to: [{group: "", kind: Service}]\n';

  // A kind a plugin declares is screened like core's own (the plugin's hook lists no cluster).
  const slices = definePlugin({ name: 'test/slices', kinds: { EndpointSlice: ['discovery.k8s.io/v1'] }, clusters: () => [] });

  test("a Secret, a plugin's kind (EndpointSlice) or a ReferenceGrant defined twice is an error naming both places", () => {
    const text = [secret('one'), slice, grant, secret('two'), slice, grant].join('---\n');
    const result = createTranslator({ plugins: [staticPlugin(), slices] }).translateText(text, { file: 'in.yaml' });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'error: in.yaml#3:26 Secret default/creds: Secret default/creds is defined twice, at in.yaml:1:1 and at in.yaml:26:1: the first is the one read',
      'error: in.yaml#4:34 EndpointSlice default/web-1: EndpointSlice default/web-1 is defined twice, at in.yaml:9:1 and at in.yaml:34:1: the first is the one read',
      'error: in.yaml#5:42 ReferenceGrant other/g: ReferenceGrant other/g is defined twice, at in.yaml:17:1 and at in.yaml:42:1: the first is the one read',
    ]);
  });

  test('a route of each kind routing reads, defined twice, is one error naming both places; its status says so', () => {
    const route = (kind: string) =>
      `apiVersion: gateway.networking.k8s.io/${kind.startsWith('T') ? 'v1alpha2' : 'v1'}\nkind: ${kind}\nmetadata:\n  name: r\nspec:\n  rules: [{backendRefs: [{name: web, port: 80}]}]\n`;
    const kinds = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'];
    const text = [...kinds.map(route), ...kinds.map(route)].join('---\n');
    const result = translator().translateText(text, { file: 'in.yaml' });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(
      kinds.map((kind, i) => {
        const [first, again] = [1 + 7 * i, 29 + 7 * i];
        return `error: in.yaml#${4 + i}:${again} ${kind} default/r: ${kind} default/r is defined twice, at in.yaml:${first}:1 and at in.yaml:${again}:1: neither is used`;
      }),
    );
    expect(result.routes.map((r) => [r.kind, r.rules, r.conditions[0]!.message])).toEqual(
      [...kinds].sort().map((kind) => [kind, [], `${kind} default/r is defined more than once`]),
    );
  });

  test('objects built in code are named by their index', () => {
    const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, stringData: { a: 'b' } } as KubeObject;
    const result = translator().translate([s, backend('default', 'x'), { ...s }]);
    expect(result.diagnostics.map((d) => d.message)).toEqual(['Secret default/s is defined twice, at objects[0] and at objects[2]: the first is the one read']);
  });
});

test('objects given to translate() without a namespace are in "default", as the loader has them', () => {
  const object = backend(undefined, 'web');
  const t = translator();
  const result = t.translate([object]);
  expect(result.diagnostics).toEqual([]);
  expect(result.clusters.map((c) => c.name)).toEqual(['backend_default_web_0']);
  expect(result.statuses.map((s) => [s.namespace, s.name])).toEqual([['default', 'web']]);
  expect(object.metadata.namespace).toBeUndefined(); // the caller's object is left alone
  expect(t.translate([object]).clusters.map((c) => c.name)).toEqual(['backend_default_web_0']);
});

describe('objects that are not plain data', () => {
  const MARKER = 'getter-secret-7f3a';

  test('a throwing getter anywhere inside is invalid input; its message does not escape', () => {
    const evil = backend('default', 'evil');
    Object.defineProperty((evil.spec as { static: object }).static, 'hosts', {
      enumerable: true,
      get() {
        throw new Error(MARKER);
      },
    });
    const result = translator().translate([evil, backend('default', 'ok')]);
    expect(result.clusters.map((c) => c.name)).toEqual(['backend_default_ok_0']);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'objects[0] is not plain data (it holds a Proxy, a getter or a setter, or reading it throws): skipped',
    ]);
    expect(JSON.stringify({ d: result.diagnostics, s: result.statuses })).not.toContain(MARKER);
  });

  test('a Proxy (at the top or inside) is invalid input', () => {
    const trap = {
      get: () => {
        throw new Error(MARKER);
      },
      ownKeys: () => {
        throw new Error(MARKER);
      },
    };
    const inner = backend('default', 'inner');
    (inner as { spec: unknown }).spec = new Proxy({}, trap);
    const result = translator().translate([new Proxy(backend('default', 'top'), trap) as KubeObject, inner]);
    expect(result.clusters).toEqual([]);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'objects[0] is not plain data (it holds a Proxy, a getter or a setter, or reading it throws): skipped',
      'objects[1] is not plain data (it holds a Proxy, a getter or a setter, or reading it throws): skipped',
    ]);
    expect(JSON.stringify({ d: result.diagnostics, s: result.statuses })).not.toContain(MARKER);
  });
});

describe('plain data of every shape (the recursive walk and the one with a stack agree)', () => {
  const NOT_PLAIN = 'objects[0] is not plain data (it holds a Proxy, a getter or a setter, or reading it throws): skipped';
  /** A Backend carrying `extra` in its `status`, which the translation does not read. */
  const carrying = (extra: unknown): KubeObject => ({ ...backend('default', 'web'), status: { extra } }) as KubeObject;
  const messages = (object: KubeObject) =>
    translator()
      .translate([object])
      .diagnostics.map((d) => d.message);

  const nested = (depth: number, leaf: object): object => {
    let value: object = leaf;
    for (let i = 0; i < depth; i++) value = { next: value };
    return value;
  };
  const getter = () => Object.defineProperty({}, 'x', { enumerable: true, get: () => 1 });
  const wide = (count: number, last: object): object[] => [...Array.from({ length: count }, (_, i) => ({ i })), last];

  test.each([
    ['a getter 10 levels down', nested(10, getter())],
    ['a getter 1,000 levels down', nested(1_000, getter())],
    ['a Proxy after 10,000 plain objects', wide(10_000, new Proxy({}, {}))],
    ['a non-enumerable setter after 10,000 plain objects', wide(10_000, Object.defineProperty({}, 'y', { enumerable: false, set: () => {} }))],
    ['a symbol-keyed getter 200 levels down', nested(200, Object.defineProperty({}, Symbol('s'), { get: () => 1 }))],
    ['a getter on an array element', [Object.defineProperty([1, 2], 1, { enumerable: true, get: () => 1 })]],
    ["a non-enumerable getter on an array's own extra key", [Object.defineProperty([1], 'x', { enumerable: false, get: () => 1 })]],
    ['a symbol-keyed setter on an array', [Object.defineProperty([1], Symbol('s'), { set: () => {} })]],
    ['a getter inside a value under a symbol key', { [Symbol('s')]: getter() }],
    ['a getter inside a value under a non-enumerable key', Object.defineProperty({}, 'hidden', { value: [getter()], enumerable: false })],
  ])('%s is not plain data', (_name, extra) => {
    expect(messages(carrying(extra))).toEqual([NOT_PLAIN]);
  });

  test.each([
    ['nested 1,000 levels', () => nested(1_000, { leaf: true })],
    ['20,000 plain objects', () => wide(20_000, { last: true })],
    [
      'a cycle',
      () => {
        const a: { self?: object } = {};
        a.self = { a };
        return a;
      },
    ],
    [
      'one object shared by 2^16 paths',
      () => {
        let value: object = { leaf: 'x' };
        for (let i = 0; i < 16; i++) value = { left: value, right: value };
        return value;
      },
    ],
  ])('%s is plain data (translated)', (_name, make) => {
    expect(messages(carrying(make()))).toEqual([]);
  });
});

describe('cluster names that still collide', () => {
  test("a plugin's extra cluster named like a Backend's cluster: an error on both, neither cluster served", () => {
    const squatter = definePlugin({
      name: 'test/squatter',
      key: 'squat',
      schema: z.strictObject({}),
      translate: () => ({ cluster: { type: 'STRICT_DNS' } }),
      clusters: (ctx) =>
        ctx.resources.list('Secret').map((secret) => ({
          clusterName: 'backend_default_web_0',
          resource: secret,
          fragment: { cluster: { type: 'STRICT_DNS' } },
        })),
    });
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'default' } } as KubeObject;
    const result = createTranslator({ plugins: [staticPlugin(), squatter] }).translate([backend('default', 'web'), backend('default', 'other'), secret]);
    expect(result.clusters.map((c) => c.name)).toEqual(['backend_default_other_0']);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'error: Backend default/web: cluster name backend_default_web_0 is also the cluster of Secret default/x: neither is served',
      'error: Secret default/x: cluster name backend_default_web_0 is also the cluster of Backend default/web: neither is served',
    ]);
    expect(result.statuses.find((s) => s.name === 'web')!.conditions[0]).toEqual({
      type: 'Accepted',
      status: 'False',
      reason: 'Invalid',
      message: 'Backend error: "cluster name backend_default_web_0 is also the cluster of Secret default/x: neither is served"',
    });
    expect(result.targets.filter((t) => t.clusterName === 'backend_default_web_0').map((t) => t.valid)).toEqual([false, false]);
  });
});

describe("the screen's JSON data (Screened.jsonData) is what the memo's isData says", () => {
  const kube = (extra: unknown, metadata: Record<string, unknown> = {}): KubeObject =>
    ({ apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x', namespace: 'default', ...metadata }, spec: { extra } }) as KubeObject;
  const holey: unknown[] = [1];
  holey[2] = 3;
  const withExtra = Object.assign([1, 2], { extra: undefined });
  const symbolKeyed = { a: 1, [Symbol('s')]: undefined };
  const hidden = Object.defineProperty({ a: 1 }, 'hidden', { value: undefined, enumerable: false });
  const hiddenIndex = Object.defineProperty([1, 2], 0, { value: 1, enumerable: false });
  class Point {
    x = 1;
  }
  const inheritsUndefined = Object.create(Object.create(null, { x: { value: undefined, enumerable: true } })) as object;
  // [case, value, whether the walk vouches for it]: it may leave out what isData takes (the memo
  // then checks again), never the other way round.
  const values: [string, unknown, boolean][] = [
    ['plain data', { a: [1, 'b', true, null, { c: -0 }], d: {} }, true],
    ['undefined', undefined, false],
    ['undefined in an array', [undefined], false],
    ['NaN', NaN, false],
    ['Infinity', [Infinity], false],
    ['a bigint', 1n, false],
    ['a symbol value', Symbol('v'), false],
    ['a function', () => 1, false],
    ['a hole', holey, false],
    ['an array with an extra own key holding undefined', withExtra, true],
    ['a symbol key holding undefined', symbolKeyed, true],
    ['a non-enumerable key holding undefined', hidden, true],
    ['a non-enumerable array element', hiddenIndex, true],
    ['a class instance', new Point(), false],
    ['a Date', new Date(0), false],
    ['a Map', new Map(), false],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { a: 1 }), true],
    ['an object of another realm (isData takes it; the walk leaves it to the memo)', runInNewContext('({ a: [1, { b: 2 }] })'), false],
    ['an array of another realm', runInNewContext('[1, 2]'), true],
    ['an object inheriting an enumerable undefined', inheritsUndefined, false],
    ['nested 100 levels', nestedData(100), false],
    ['a cycle', cyclic(), false],
  ];

  test.each(values)('%s', (_name, extra, vouched) => {
    const object = kube(extra);
    const { objects, jsonData } = screenEnvelopes([object], true);
    expect(objects).toEqual([object]);
    expect(jsonData!.has(object)).toBe(vouched);
    if (vouched) expect(isData(object)).toBe(true);
  });

  test('plain data is vouched for (the memo skips its check), once per screening and not without asking', () => {
    const object = kube({ a: [1, 'b', true, null, { c: -0 }], d: {} });
    expect(screenEnvelopes([object], true).jsonData!.has(object)).toBe(true);
    expect(screenEnvelopes([kube('x')]).jsonData).toBeUndefined();
    // Screened before: not walked again, so not vouched for again (it could have changed since).
    expect(screenEnvelopes([object], true).jsonData!.has(object)).toBe(false);
  });

  test('objects with a resourceVersion (keyed by it, never fingerprinted) and defaulted copies', () => {
    const versioned = kube('x', { resourceVersion: '3' });
    const unplaced = { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'y' } } as unknown as KubeObject;
    const { objects, jsonData } = screenEnvelopes([versioned, unplaced], true);
    expect(jsonData!.has(versioned)).toBe(false);
    expect(objects[1]).not.toBe(unplaced);
    expect(jsonData!.has(objects[1]!)).toBe(true);
    expect(isData(objects[1])).toBe(true);
  });

  test('fast-check: random values, vouched for only when isData says so, and always when JSON.parse made them', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc.double(),
      fc.constant(null),
      fc.constant(undefined),
      fc.integer(),
      fc.constant(() => 0),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object'), tie('odd')),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
      odd: fc.oneof(
        tie('value').map((v) => Object.defineProperty({}, 'k', { value: v, enumerable: false })),
        tie('value').map((v) => ({ [Symbol.for('k')]: v })),
        tie('value').map((v) => Object.assign([v], { extra: v })),
        tie('value').map((v) => Object.assign(Object.create(null) as object, { v })),
        tie('value').map((v) => {
          const sparse: unknown[] = [];
          sparse[2] = v;
          return sparse;
        }),
      ),
    }));
    fc.assert(
      fc.property(value, (extra) => {
        const object = kube(extra);
        const { jsonData } = screenEnvelopes([object], true);
        if (jsonData!.has(object)) expect(isData(object)).toBe(true);
        const parsed = JSON.parse(JSON.stringify(object)) as KubeObject;
        expect(screenEnvelopes([parsed], true).jsonData!.has(parsed)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

function nestedData(depth: number): object {
  let value: object = { leaf: 1 };
  for (let i = 0; i < depth; i++) value = { next: value };
  return value;
}

function cyclic(): object {
  const a: { self?: object } = {};
  a.self = { a };
  return a;
}
