import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, loadText, type KubeObject } from '@backendkit/core';
import { backendName, discoverBackends, kubernetesPlugin } from '@backendkit/kubernetes';
import { assertStrictEnvoy, expectGolden, runTranslation } from '@backendkit/testing';

const dir = join(__dirname, 'discovery');

function load(text: string, file = 'services.yaml'): KubeObject[] {
  const loaded = loadText(text, { file });
  expect(loaded.diagnostics).toEqual([]);
  return loaded.objects;
}

describe('backendName', () => {
  test('joins namespace, service and port', () => {
    expect(backendName('shop', 'petstore', 8080)).toBe('shop-petstore-8080');
  });

  test.each([
    ['Shop', 'PetStore', 80, 'shop-petstore-80'],
    ['team.a', 'svc_name', 80, 'team-a-svc-name-80'],
    ['a/b', 'c:d', 443, 'a-b-c-d-443'],
    ['my ns', 'my svc', 1, 'my-ns-my-svc-1'],
    ['ns', 'caf\u00e9+x', 9, 'ns-caf--x-9'],
    ['.hidden', 'svc', 80, 'hidden-svc-80'],
  ])('%j %j %j → %s (lower case, DNS-safe)', (ns, svc, port, name) => expect(backendName(ns, svc, port)).toBe(name));

  test('63 characters are kept as they are', () => {
    const service = 'x'.repeat(63 - 'ns--80'.length);
    expect(backendName('ns', service, 80)).toBe(`ns-${service}-80`);
    expect(backendName('ns', service, 80)).toHaveLength(63);
  });

  test('longer: first 31 characters, "-", the SHA-256 of the full name, cut to 63', () => {
    // sha256("production-environment-east-payments-gateway-service-internal-8443") = ee45ea3413c9f38107962b1738eea88026bd...
    const name = backendName('production-environment-east', 'payments-gateway-service-internal', 8443);
    expect(name).toBe('production-environment-east-pay-ee45ea3413c9f38107962b1738eea88');
    expect(name).toHaveLength(63);
    // Same prefix, another port: another hash, so the names stay apart.
    expect(backendName('production-environment-east', 'payments-gateway-service-internal', 9443)).toBe(
      'production-environment-east-pay-18ae7882a324f1efcaded6c45fb0624',
    );
    // Stable: the same input always gives the same name.
    expect(backendName('production-environment-east', 'payments-gateway-service-internal', 8443)).toBe(name);
  });

  test('every name is a valid DNS label', () => {
    const label = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
    for (const [ns, svc] of [
      ['A.B.C', 'x'.repeat(80)],
      ['_', '_'],
      ['ns', 'svc'],
      ['Ünïcode', 'sérvice'],
    ]) {
      expect(backendName(ns!, svc!, 65535)).toMatch(label);
    }
  });
});

describe('discoverBackends', () => {
  const services = readFileSync(join(dir, 'services.yaml'), 'utf8');

  test('one Backend per Service port, in the Service namespace by default', () => {
    const result = discoverBackends(load(services));
    expect(result.diagnostics).toEqual([]);
    expectGolden(join(dir, 'services.golden.json'), result.backends);
  });

  test('--namespace puts every Backend in one namespace; serviceNamespace still names the Service', () => {
    const result = discoverBackends(load(services), { namespace: 'gateway' });
    expect(result.diagnostics).toEqual([]);
    expect(result.backends.map((b) => [b.metadata.namespace, b.metadata.name, b.spec.kubernetes.serviceNamespace])).toEqual([
      ['gateway', 'payments-ledger-9090', 'payments'],
      ['gateway', 'shop-petstore-8080', 'shop'],
      ['gateway', 'shop-petstore-9090', 'shop'],
    ]);
  });

  test('the discovered Backends translate into clusters with the same endpoints as the Service ports', () => {
    const objects = load(services);
    const backends = discoverBackends(objects).backends as unknown as KubeObject[];
    const { result, output } = runTranslation([...objects, ...backends], { plugins: [kubernetesPlugin()] });
    expect(result.diagnostics).toEqual([]);
    assertStrictEnvoy(output);
    const endpointsOf = (name: string) => output.assignments.find((e) => e.clusterName === name)?.endpoints;
    expect(endpointsOf('backend_shop_shop-petstore-9090_0')).toEqual(endpointsOf('kube_shop_petstore_9090'));
    expect(endpointsOf('kube_shop_petstore_9090')).toHaveLength(1);
    expect(result.statuses.every((s) => s.conditions[0]?.status === 'True')).toBe(true);
    expect(result.statuses).toHaveLength(3);
  });

  test('a malformed Service is reported with a path into it; the others are still discovered', () => {
    const text = `${services}---\napiVersion: v1\nkind: Service\nmetadata: {name: broken, namespace: shop}\nspec:\n  ports:\n  - {port: http}\n`;
    const result = discoverBackends(load(text));
    expect(result.backends).toHaveLength(3);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(['error: services.yaml#3:35 Service shop/broken: spec.ports[0].port: must be a number']);
  });

  test('two Services whose names meet after sanitising: the second is an error, not a silent overwrite', () => {
    const text = [
      'apiVersion: v1\nkind: Service\nmetadata: {name: b-c, namespace: a}\nspec:\n  ports: [{port: 80}]\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: c, namespace: a-b}\nspec:\n  ports: [{port: 80}]\n',
    ].join('---\n');
    const result = discoverBackends(load(text), { namespace: 'one' });
    expect(result.backends.map((b) => [b.metadata.name, b.spec.kubernetes.serviceNamespace])).toEqual([['a-b-c-80', 'a']]);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'error: services.yaml#1:7 Service a-b/c: port 80 would be Backend one/a-b-c-80, which already stands for Service a/b-c port 80: skipped',
    ]);
    // In their own namespaces they do not collide.
    expect(discoverBackends(load(text)).backends).toHaveLength(2);
  });

  test('other kinds are ignored; no Services, no Backends', () => {
    const text = 'apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: x}\nspec:\n  static:\n    hosts: [{host: a.example, port: 80}]\n';
    expect(discoverBackends(load(text))).toEqual({ backends: [], diagnostics: [] });
  });
});
