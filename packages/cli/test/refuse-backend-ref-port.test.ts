import { cli } from './run-cli';

const input = `
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: json-backend}
spec:
  static:
    hosts: [{host: 203.0.113.80, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: static-backend}
spec:
  rules:
  - backendRefs: [{group: gateway.kgateway.dev, kind: Backend, name: json-backend, port: 8080}]
`;

describe('translate --refuse-backend-ref-port', () => {
  test('without it, the port is ignored with a warning and the ref resolves (exit 0)', async () => {
    const { code, stdout, stderr } = await cli(['translate', '-'], input);
    expect(code).toBe(0);
    const { routes } = JSON.parse(stdout) as { routes: Array<{ rules: unknown; conditions: unknown[] }> };
    expect(routes[0]!.rules).toEqual([{ backendRefs: [{ cluster: 'backend_default_json-backend_0', weight: 1 }] }]);
    expect(stderr).toContain('spec.rules[0].backendRefs[0].port: ignored: a Backend is one cluster, whatever the port');
  });

  test('with it, the ref fails as in kgateway: BackendNotFound, its message, the blackhole (exit 1)', async () => {
    const { code, stdout, stderr } = await cli(['translate', '-', '--refuse-backend-ref-port'], input);
    expect(code).toBe(1);
    const { routes } = JSON.parse(stdout) as { routes: Array<{ rules: unknown; conditions: unknown[] }> };
    expect(routes[0]!.rules).toEqual([{ backendRefs: [{ cluster: 'blackhole-cluster', weight: 1 }] }]);
    expect(routes[0]!.conditions).toEqual([{ type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', message: 'Backend "json-backend" not found' }]);
    expect(stderr).toContain(
      'spec.rules[0].backendRefs[0].port: a port on a Backend ref is refused (translator option backendRefPort: refuse): Backend "json-backend" not found',
    );
  });
});
