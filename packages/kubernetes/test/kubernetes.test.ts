import { join } from 'node:path';
import { createTranslator, loadText, toOutputDocument, type KubeObject } from '@backendkit/core';
import { assignmentMessage } from '@backendkit/core/envoy';
import { ENDPOINT_SOURCE, kubernetesPlugin, type EndpointSource } from '@backendkit/kubernetes';
import { staticPlugin } from '@backendkit/static';
import { assertStrictEnvoy, expectGolden, goldenCases, runTranslation } from '@backendkit/testing';

const fixtures = join(__dirname, 'fixtures');
const plugins = () => [staticPlugin(), kubernetesPlugin()];

describe('kubernetes golden files', () => {
  for (const c of goldenCases(fixtures)) {
    test(c.name, () => {
      const { output } = runTranslation(c.input, { plugins: plugins(), file: `${c.name}.yaml` });
      assertStrictEnvoy(output);
      expectGolden(c.goldenFile, output);
    });
  }
});

const service = (name: string, ports: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  ports: ${ports}\n`;

const slice = (name: string, service: string, body: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'shop', labels: { 'kubernetes.io/service-name': service } },
  ...body,
});

function objects(text: string): KubeObject[] {
  const loaded = loadText(text, { file: 'test.yaml' });
  expect(loaded.diagnostics).toEqual([]);
  return loaded.objects;
}

describe('appProtocol on the translation result', () => {
  test('the port appProtocol, else its name, else none', () => {
    const input = objects(
      service(
        'mixed',
        '[{name: web, port: 80}, {name: rpc, port: 9090, appProtocol: kubernetes.io/h2c}, {name: ws, port: 8081, appProtocol: kubernetes.io/ws}]',
      ) +
        '---\n' +
        service('plain', '[{port: 8080}]') +
        '---\napiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: rpc, namespace: shop}\nspec:\n  kubernetes: {serviceName: mixed, servicePort: 9090}\n',
    );
    const { result } = runTranslation(input, { plugins: plugins() });
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((t) => [t.clusterName, t.typeKey, t.appProtocol, t.valid])).toEqual([
      ['backend_shop_rpc_0', 'kubernetes', 'kubernetes.io/h2c', true],
      ['kube_shop_mixed_80', undefined, 'web', true],
      ['kube_shop_mixed_8081', undefined, 'kubernetes.io/ws', true],
      ['kube_shop_mixed_9090', undefined, 'kubernetes.io/h2c', true],
      ['kube_shop_plain_8080', undefined, undefined, true],
    ]);
  });
});

describe('endpoint source', () => {
  const input = () => objects(service('cart', '[{name: http, port: 80}]'));

  test('a source registered with provide replaces the translation objects', () => {
    const asked: string[] = [];
    const source: EndpointSource = {
      endpointSlices(namespace, name) {
        asked.push(`${namespace}/${name}`);
        // Shaped like an informer's objects: no `source`, no loader defaults.
        return [
          slice('cart-live', 'cart', { addressType: 'IPv4', ports: [{ name: 'http', port: 8080 }], endpoints: [{ addresses: ['10.20.0.1'], zone: 'z9' }] }),
        ];
      },
    };
    // A slice among the objects that the custom source does not report must not be used.
    const ignored = slice('cart-file', 'cart', {
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 1 }],
      endpoints: [{ addresses: ['10.99.0.1'] }],
    }) as KubeObject;
    const translator = createTranslator({ plugins: plugins(), provide: [[ENDPOINT_SOURCE, source]] });
    const result = translator.translate([...input(), ignored]);
    expect(result.diagnostics).toEqual([]);
    expect(asked).toEqual(['shop/cart']);
    const output = toOutputDocument(result);
    assertStrictEnvoy(output);
    expect(output.assignments).toEqual([
      {
        clusterName: 'kube_shop_cart_80',
        endpoints: [
          {
            locality: { zone: 'z9' },
            lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '10.20.0.1', portValue: 8080 } } } }],
            loadBalancingWeight: 1,
          },
        ],
      },
    ]);
  });

  test('another translator without the provider still reads the objects', () => {
    const provided = createTranslator({ plugins: plugins(), provide: [[ENDPOINT_SOURCE, { endpointSlices: () => [] } satisfies EndpointSource]] });
    const plain = createTranslator({ plugins: plugins() });
    const withSlice = [
      ...input(),
      slice('cart-1', 'cart', { addressType: 'IPv4', ports: [{ name: 'http', port: 8080 }], endpoints: [{ addresses: ['10.0.0.1'] }] }) as KubeObject,
    ];
    // No endpoints: proto3 JSON leaves the empty list out.
    expect(provided.translate(withSlice).assignments[0]?.endpoints).toBeUndefined();
    expect(plain.translate(withSlice).assignments[0]?.endpoints).toHaveLength(1);
  });

  test('malformed objects from a source are warnings naming the slice, never a crash', () => {
    const source: EndpointSource = { endpointSlices: () => [null, 'x', slice('cart-bad', 'cart', { addressType: 'IPv4', endpoints: 'none' })] };
    const result = createTranslator({ plugins: plugins(), provide: [[ENDPOINT_SOURCE, source]] }).translate(input());
    expect(result.clusters.map((c) => c.name)).toEqual(['kube_shop_cart_80']);
    expect(result.diagnostics.map((d) => [d.severity, d.resource?.kind, d.resource?.name, d.path, d.message])).toEqual([
      ['warning', 'Service', 'cart', undefined, 'an EndpointSlice must be an object: skipped'],
      ['warning', 'Service', 'cart', undefined, 'an EndpointSlice must be an object: skipped'],
      ['warning', 'EndpointSlice', 'cart-bad', 'endpoints', 'must be a list of endpoints (EndpointSlice skipped)'],
    ]);
  });

  test('a source that throws makes the clusters invalid with an error, and translation goes on', () => {
    const source: EndpointSource = {
      endpointSlices() {
        throw new Error('informer not synced');
      },
    };
    const text =
      service('cart', '[{name: http, port: 80}]') +
      '---\napiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: cart, namespace: shop}\nspec:\n  kubernetes: {serviceName: cart, servicePort: 80}\n';
    const result = createTranslator({ plugins: plugins(), provide: [[ENDPOINT_SOURCE, source]] }).translate(objects(text));
    expect(result.clusters).toEqual([]);
    expect(result.statuses[0]?.conditions[0]).toEqual({
      type: 'Accepted',
      status: 'False',
      reason: 'Invalid',
      message: 'Backend error: "cannot read the EndpointSlices of Service shop/cart: informer not synced"',
    });
    expect(result.diagnostics.map((d) => [d.resource?.kind, d.code])).toEqual([
      ['Backend', 'endpoint-source-failed'],
      ['Service', 'endpoint-source-failed'],
    ]);
  });
});

describe('one reading of each Service per translation', () => {
  const backend = (name: string) =>
    `---\napiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  kubernetes: {serviceName: cart, servicePort: 80}\n`;
  const input = () => objects(service('cart', '[{name: http, port: 80}, {name: admin, port: 9000}]') + backend('a') + backend('b') + backend('c'));
  const cartSlice = (address: string) =>
    slice('cart-1', 'cart', {
      addressType: 'IPv4',
      ports: [
        { name: 'http', port: 8080 },
        { name: 'admin', port: 9000 },
      ],
      endpoints: [{ addresses: [address] }],
    }) as KubeObject;

  test.each([true, false])('three Backends and two ports of one Service ask the source once (incremental: %s)', (incremental) => {
    const asked: string[] = [];
    const source: EndpointSource & { cacheVersion: number } = {
      cacheVersion: 1,
      endpointSlices(namespace, name) {
        asked.push(`${namespace}/${name}`);
        return [cartSlice('10.0.0.1')];
      },
    };
    const translator = createTranslator({ plugins: plugins(), provide: [[ENDPOINT_SOURCE, source]], incremental });
    const result = translator.translate(input());
    expect(result.diagnostics).toEqual([]);
    expect(result.clusters.map((c) => c.name)).toEqual([
      'backend_shop_a_0',
      'backend_shop_b_0',
      'backend_shop_c_0',
      'kube_shop_cart_80',
      'kube_shop_cart_9000',
    ]);
    expect(asked).toEqual(['shop/cart']);
  });

  test.each([true, false])('the Backends and the port they point at hold one frozen list of endpoints (incremental: %s)', (incremental) => {
    const result = createTranslator({ plugins: plugins(), incremental }).translate([...input(), cartSlice('10.0.0.1')]);
    const endpointsOf = (name: string) => result.assignments.find((a) => a.clusterName === name)!.endpoints;
    const port80 = endpointsOf('kube_shop_cart_80');
    expect(Object.isFrozen(port80)).toBe(true);
    for (const name of ['backend_shop_a_0', 'backend_shop_b_0', 'backend_shop_c_0']) expect(endpointsOf(name)).toBe(port80);
    // Another port's endpoints are its own (the same Pod, another port).
    expect(endpointsOf('kube_shop_cart_9000')).not.toBe(port80);
    expect(JSON.stringify(endpointsOf('kube_shop_cart_9000'))).toContain('9000');
  });

  test('a slice read once for many steps is a dependency of each: changing it updates every cluster', () => {
    const translator = createTranslator({ plugins: plugins() });
    const addresses = (objects: KubeObject[]) =>
      translator
        .translate(objects)
        .assignments.map((json) => assignmentMessage(json))
        .map((a) => [
          a.clusterName,
          a.endpoints[0]?.lbEndpoints[0]?.hostIdentifier.case === 'endpoint'
            ? a.endpoints[0].lbEndpoints[0].hostIdentifier.value.address?.address.value
            : undefined,
        ]);
    const first = addresses([...input(), cartSlice('10.0.0.1')]);
    expect(first.map(([name]) => name)).toEqual(['backend_shop_a_0', 'backend_shop_b_0', 'backend_shop_c_0', 'kube_shop_cart_80', 'kube_shop_cart_9000']);
    const second = addresses([...input(), cartSlice('10.0.0.2')]);
    const third = createTranslator({ plugins: plugins(), incremental: false }).translate([...input(), cartSlice('10.0.0.2')]);
    expect(JSON.stringify(second)).not.toEqual(JSON.stringify(first));
    expect(JSON.stringify(second)).toContain('10.0.0.2');
    expect(JSON.stringify(second)).not.toContain('10.0.0.1');
    expect(toOutputDocument(translator.translate([...input(), cartSlice('10.0.0.2')]))).toEqual(toOutputDocument(third));
  });
});

describe('localities in an incremental translation', () => {
  const pod = (nodeName: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'cart-a', namespace: 'shop' }, spec: { nodeName } });
  const node = (name: string, zone: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, namespace: 'default', labels: { 'topology.kubernetes.io/zone': zone } },
  });
  const base = () => [
    ...objects(service('cart', '[{name: http, port: 80}]')),
    slice('cart-1', 'cart', {
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080 }],
      endpoints: [{ addresses: ['10.0.0.1'], targetRef: { kind: 'Pod', name: 'cart-a' } }],
    }) as KubeObject,
  ];
  const zones = (result: ReturnType<ReturnType<typeof createTranslator>['translate']>) =>
    result.assignments.map((a) => [a.clusterName, (a.endpoints ?? []).map((e) => e.locality?.zone ?? '')]);

  test('the Pods and Nodes a cluster read are its dependencies: changing either moves the endpoint', () => {
    const translator = createTranslator({ plugins: plugins() });
    expect(zones(translator.translate([...base(), pod('n1'), node('n1', 'zone-a'), node('n2', 'zone-b')]))).toEqual([['kube_shop_cart_80', ['zone-a']]]);
    // A Node label changes.
    expect(zones(translator.translate([...base(), pod('n1'), node('n1', 'zone-c'), node('n2', 'zone-b')]))).toEqual([['kube_shop_cart_80', ['zone-c']]]);
    // The Pod moves to another Node.
    const moved = [...base(), pod('n2'), node('n1', 'zone-c'), node('n2', 'zone-b')];
    expect(zones(translator.translate(moved))).toEqual([['kube_shop_cart_80', ['zone-b']]]);
    // The Pod is gone: no locality (the slice gives no zone).
    expect(zones(translator.translate([...base(), node('n1', 'zone-c'), node('n2', 'zone-b')]))).toEqual([['kube_shop_cart_80', ['']]]);
    const fresh = createTranslator({ plugins: plugins(), incremental: false });
    expect(toOutputDocument(translator.translate(moved))).toEqual(toOutputDocument(fresh.translate(moved)));
  });
});

describe('determinism', () => {
  test('the same objects in any order give the same output', () => {
    const text = ['zones', 'several-slices', 'dual-stack', 'backend-other-namespace', 'multi-port-by-name']
      .map((name) => goldenCases(fixtures).find((c) => c.name === name)!.input)
      .join('\n---\n');
    const forward = objects(text);
    const backward = [...forward].reverse();
    const a = runTranslation(forward, { plugins: plugins() }).output;
    const b = runTranslation(backward, { plugins: plugins() }).output;
    expect(a.clusters.length).toBeGreaterThan(5);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

/** The `locality` of each locality of the first assignment, as the output document has it. */
function localities(result: ReturnType<ReturnType<typeof createTranslator>['translate']>): unknown[] {
  const [assignment] = toOutputDocument(result).assignments as Array<{ endpoints: Array<{ locality?: unknown }> }>;
  return assignment!.endpoints.map((e) => e.locality);
}

describe('localities from Pods and Nodes', () => {
  const text = (zone: string) =>
    service('cart', '[{name: http, port: 80}]') +
    '---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: cart-1, namespace: shop, labels: {kubernetes.io/service-name: cart}}\n' +
    'addressType: IPv4\nports: [{name: http, port: 8080}]\nendpoints: [{addresses: [10.1.0.1], zone: slice-zone, targetRef: {kind: Pod, name: cart-a}}]\n' +
    '---\napiVersion: v1\nkind: Pod\nmetadata: {name: cart-a, namespace: shop}\nspec: {nodeName: n1}\n' +
    `---\napiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {topology.kubernetes.io/zone: ${zone}}}\n`;

  test('a re-translation with a relabelled Node moves the endpoint (the Node is a recorded input)', () => {
    const translator = createTranslator({ plugins: plugins() });
    expect(localities(translator.translate(objects(text('zone-a'))))).toEqual([{ zone: 'zone-a' }]);
    expect(localities(translator.translate(objects(text('zone-b'))))).toEqual([{ zone: 'zone-b' }]);
  });

  test('a source with pod and node answers from its cache instead of the objects', () => {
    const sliceObject = objects(text('unused')).find((o) => o.kind === 'EndpointSlice')!;
    const asked: string[] = [];
    const source: EndpointSource = {
      endpointSlices: () => [sliceObject],
      pod(namespace, name) {
        asked.push(`pod ${namespace}/${name}`);
        return { metadata: { name, namespace }, spec: { nodeName: 'cached-node' } };
      },
      node(name) {
        asked.push(`node ${name}`);
        return { metadata: { name, labels: { 'topology.kubernetes.io/region': 'r1', 'topology.kubernetes.io/zone': 'r1-b' } } };
      },
    };
    const input = objects(text('zone-from-objects')).filter((o) => o.kind === 'Service');
    const result = createTranslator({ plugins: plugins(), provide: [[ENDPOINT_SOURCE, source]] }).translate(input);
    expect(result.diagnostics).toEqual([]);
    expect(asked).toEqual(['pod shop/cart-a', 'node cached-node']);
    expect(localities(result)).toEqual([{ region: 'r1', zone: 'r1-b' }]);
  });

  test('a source whose pod lookup throws makes the cluster invalid with an error, not a crash', () => {
    const sliceObject = objects(text('unused')).find((o) => o.kind === 'EndpointSlice')!;
    const source: EndpointSource = {
      endpointSlices: () => [sliceObject],
      pod() {
        throw new Error('pod cache not synced');
      },
    };
    const result = createTranslator({ plugins: plugins(), provide: [[ENDPOINT_SOURCE, source]] }).translate(
      objects(service('cart', '[{name: http, port: 80}]')),
    );
    expect(result.clusters).toEqual([]);
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([
      ['error', 'endpoint-source-failed', 'cannot read the Pods or Nodes of Service shop/cart: pod cache not synced'],
    ]);
  });

  test('without the Node, the slice zone stands in', () => {
    const input = objects(text('zone-a')).filter((o) => o.kind !== 'Node');
    expect(localities(createTranslator({ plugins: plugins() }).translate(input))).toEqual([{ zone: 'slice-zone' }]);
  });
});
