import { BLACKHOLE_CLUSTER, formatDiagnostic } from '@backendkit/core';
import { kubernetesPlugin } from '@backendkit/kubernetes';
import { staticPlugin } from '@backendkit/static';
import { runTranslation } from '@backendkit/testing';

const input = `apiVersion: v1
kind: Service
metadata: {name: petstore, namespace: shop}
spec:
  ports: [{name: http, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  rules:
  - backendRefs: [{name: petstore, port: 8080}]
`;

describe('HTTPRoute backendRefs to a Service', () => {
  test('with the kubernetes plugin: the cluster of the Service port, which the plugin makes', () => {
    const { result } = runTranslation(input, { plugins: [staticPlugin(), kubernetesPlugin()], file: 'route.yaml' });
    expect(result.diagnostics).toEqual([]);
    expect(result.routes[0]!.rules[0]!.backendRefs).toEqual([{ cluster: 'kube_shop_petstore_8080', weight: 1 }]);
    expect(result.routes[0]!.conditions[0]).toMatchObject({ type: 'ResolvedRefs', status: 'True' });
    expect(result.clusters.map((c) => c.name)).toEqual(['kube_shop_petstore_8080']);
  });

  test('without it: InvalidKind, the ref goes to the blackhole, and the Service is not even loaded', () => {
    const { result } = runTranslation(input, { plugins: [staticPlugin()], file: 'route.yaml' });
    expect(result.routes[0]!.rules[0]!.backendRefs).toEqual([{ cluster: BLACKHOLE_CLUSTER, weight: 1 }]);
    expect(result.routes[0]!.conditions[0]).toMatchObject({ type: 'ResolvedRefs', status: 'False', reason: 'InvalidKind' });
    expect(result.clusters).toEqual([]);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'warning: route.yaml#0:1: kind Service (v1) is not one backendkit reads: skipped',
      'error: route.yaml#1:12 HTTPRoute shop/shop: spec.rules[0].backendRefs[0]: unknown backend kind: backendRef shop/petstore has unsupported kind Service, the default when no kind is given, in group "" (supported: Backend.gateway.kgateway.dev, Backend.gloo.solo.io)',
    ]);
  });

  test('a Service whose spec cannot be read declares no ports', () => {
    const broken = input.replace('ports: [{name: http, port: 8080}]', 'ports: http');
    const { result } = runTranslation(broken, { plugins: [kubernetesPlugin()] });
    expect(result.routes[0]!.conditions[0]!.message).toBe('port 8080 not found on Service shop/petstore');
  });
});
