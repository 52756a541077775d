import { definePlugin, type BackendPlugin, type BackendContext, type Fragment, type KubeObject } from '@backendkit/core';
import { staticPlugin, staticSchema, type StaticSpec } from '@backendkit/static';
import { expectAccepted, expectDiagnostic, expectDiagnostics, expectInvalid, expectNoDiagnostics, makeBackend, runPlugin } from '@backendkit/testing';

const hosts = { hosts: [{ host: 'api.example.com', port: 443 }] };

describe('runPlugin', () => {
  test('hands back the raw fragment, the validated spec and what core made of it', () => {
    const run = runPlugin(staticPlugin(), { spec: { static: hosts }, metadata: { name: 'api', namespace: 'shop' } });
    expectNoDiagnostics(run);
    expectAccepted(run);
    expect(run.spec).toEqual(hosts);
    // The fragment is the plugin's own: no name, no default timeout.
    expect(run.fragment).toEqual({
      cluster: {
        clusterType: {
          name: 'envoy.clusters.dns',
          typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.clusters.dns.v3.DnsCluster', dnsLookupFamily: 'V4_PREFERRED' },
        },
        loadAssignment: {
          endpoints: [
            {
              lbEndpoints: [
                {
                  endpoint: {
                    address: { socketAddress: { address: 'api.example.com', portValue: 443 } },
                    hostname: 'api.example.com',
                    healthCheckConfig: { hostname: 'api.example.com' },
                  },
                },
              ],
            },
          ],
        },
      },
    });
    // The cluster is core's composition of it.
    expect(run.cluster).toMatchObject({ name: 'backend_shop_api_0', connectTimeout: '5s', loadAssignment: { clusterName: 'backend_shop_api_0' } });
    expect(run.assignment).toBeUndefined();
    expect(run.backend.metadata).toEqual({ name: 'api', namespace: 'shop' });
  });

  test('reads YAML, and reports validation problems with full paths (translate is never called)', () => {
    const yaml =
      'apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: bad}\nspec:\n  static:\n    hosts: [{host: api.example.com, port: 0}]\n';
    const run = runPlugin(staticPlugin(), yaml);
    expect(run.fragment).toBeUndefined();
    expect(run.cluster).toBeUndefined();
    expectDiagnostics(run, [
      { severity: 'error', code: 'invalid-field', path: 'spec.static.hosts[0].port', message: 'between 1 and 65535', plugin: '@backendkit/static' },
    ]);
    expectInvalid(run, undefined, 'spec.static.hosts[0].port: must be between 1 and 65535');
    // Diagnostics keep the source location of YAML input.
    expect(run.diagnostics[0]?.source).toEqual({ file: 'input.yaml', document: 0, line: 6, column: 43 });
  });

  test('applies core rules around the plugin: unknown spec keys and the exactly-one message', () => {
    const run = runPlugin(staticPlugin(), makeBackend({ static: hosts, dynamicForwardProxy: {} }));
    expectDiagnostic(run, { code: 'unknown-field', path: 'spec.dynamicForwardProxy' });
    const none = runPlugin(staticPlugin(), makeBackend({}));
    expectDiagnostic(none, { code: 'exactly-one-type', path: 'spec', message: 'exactly one of the fields in [static] must be set' });
  });

  test('gives the plugin the resources and the injected sources', () => {
    const TOKEN = Symbol('test.region-source');
    let seen: { secret?: KubeObject; region?: string } = {};
    const plugin = definePlugin<StaticSpec>({
      name: 'test/echo',
      key: 'echo',
      schema: staticSchema,
      translate(spec, ctx: BackendContext) {
        seen = { secret: ctx.resources.get('Secret', 'default', 'creds'), region: ctx.resolve(TOKEN, () => 'fallback') };
        return { diagnostics: [{ severity: 'warning', code: 'echo', message: `region ${seen.region}`, path: `${ctx.path}.hosts` }] };
      },
    });
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, stringData: { k: 'v' } };
    const run = runPlugin(plugin, makeBackend({ echo: hosts }), { resources: [secret], provide: [[TOKEN, 'eu-west-1']] });
    expect(seen.secret?.stringData).toEqual({ k: 'v' });
    expectDiagnostics(run, [{ severity: 'warning', code: 'echo', path: 'spec.echo.hosts', message: 'region eu-west-1', plugin: 'test/echo' }]);
    runPlugin(plugin, makeBackend({ echo: hosts }));
    expect(seen.region).toBe('fallback');
  });

  test('runs a feature plugin on a Backend of a type plugin you add, and shows its fragment and the merge', () => {
    const feature: BackendPlugin = {
      name: 'test/buffers',
      extend: (target) => ({ cluster: { perConnectionBufferLimitBytes: target.typeKey === 'static' ? 1024 : 1 } }),
    };
    const run = runPlugin(feature, makeBackend({ static: hosts }), { plugins: [staticPlugin()] });
    expect(run.fragment).toEqual({ cluster: { perConnectionBufferLimitBytes: 1024 } });
    expect(run.cluster).toMatchObject({ clusterType: { name: 'envoy.clusters.dns' }, perConnectionBufferLimitBytes: 1024 });
  });

  test('a plugin that throws becomes a diagnostic, as in a real translation', () => {
    const broken = definePlugin<StaticSpec>({
      name: 'test/broken',
      key: 'static',
      schema: staticSchema,
      translate: () => {
        throw new Error('boom');
      },
    });
    expectDiagnostic(runPlugin(broken, makeBackend({ static: hosts })), { code: 'plugin-failed', message: 'plugin failed: boom', plugin: 'test/broken' });
  });

  test('plugins that are class instances keep their methods and `this`', () => {
    class Prefixed implements BackendPlugin<StaticSpec> {
      readonly name = 'test/class';
      readonly key = 'static';
      readonly schema = staticSchema;
      constructor(private readonly port: number) {}
      translate(spec: StaticSpec): Fragment {
        return {
          cluster: {
            type: 'STATIC',
            loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '192.0.2.1', portValue: this.port } } } }] }] },
          },
          appProtocol: spec.appProtocol,
        };
      }
    }
    const run = runPlugin(new Prefixed(8443), makeBackend({ static: { ...hosts, appProtocol: 'http2' } }));
    expectNoDiagnostics(run);
    expect(run.fragment?.appProtocol).toBe('http2');
    expect(run.cluster?.loadAssignment).toMatchObject({ endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { portValue: 8443 } } } }] }] });
  });

  test('picks one Backend among several only when told which', () => {
    const two = [makeBackend({ static: hosts }, { name: 'a' }), makeBackend({ static: { hosts: [{ host: '192.0.2.9', port: 80 }] } }, { name: 'b' })];
    const yaml = two.map((b) => JSON.stringify(b)).join('\n---\n');
    expect(() => runPlugin(staticPlugin(), yaml)).toThrow("the input holds 2 Backends (default/a, default/b); pick one with { backend: 'namespace/name' }");
    expect(() => runPlugin(staticPlugin(), yaml, { backend: 'default/c' })).toThrow('no Backend default/c in the input (found: default/a, default/b)');
    const b = runPlugin(staticPlugin(), yaml, { backend: 'default/b' });
    expect(b.cluster).toMatchObject({ name: 'backend_default_b_0', type: 'STATIC' });
    // Only b's diagnostics and status, though a was translated too.
    expect(b.status.name).toBe('b');
  });

  test('YAML that holds no Backend fails with the load problems', () => {
    expect(() => runPlugin(staticPlugin(), 'kind: [')).toThrow(/the input holds no Backend\nload problems:\n {2}invalid YAML/);
  });

  test('an object without namespace is put in default, as YAML would be', () => {
    const run = runPlugin(staticPlugin(), {
      apiVersion: 'gateway.kgateway.dev/v1alpha1',
      kind: 'Backend',
      metadata: { name: 'x' },
      spec: { static: hosts },
    } as unknown as KubeObject);
    expect(run.cluster?.name).toBe('backend_default_x_0');
  });
});
