// The snippets of docs/plugins.md (sections 4 to 9), kept compiling and passing.
import { BACKEND_PLUGIN, createTranslator, definePlugin, isDuplicatePluginError } from '@backendkit/core';
import { backendSpecJsonSchema } from '@backendkit/core/schema';
import { builtinPlugins, createDefaultTranslator } from '@backendkit/preset';
import { container } from 'tsyringe';
import { z } from 'zod';
import { expectAccepted, expectDiagnostic, expectDiagnostics, expectInvalid, expectNoDiagnostics, makeBackend, runPlugin } from '@backendkit/testing';
import { DEFAULT_CA_FILE, dynamicForwardProxyPlugin, dynamicForwardProxySchema } from '../src';

describe('4. a first passing test', () => {
  test('an empty spec gives a CLUSTER_PROVIDED dynamic forward proxy cluster', () => {
    const run = runPlugin(dynamicForwardProxyPlugin(), makeBackend({ dynamicForwardProxy: {} }, { name: 'egress' }));
    expectNoDiagnostics(run);
    expectAccepted(run);
    expect(run.cluster).toMatchObject({ name: 'backend_default_egress_0', lbPolicy: 'CLUSTER_PROVIDED' });
  });

  test('bad input is a diagnostic with the full path', () => {
    const run = runPlugin(dynamicForwardProxyPlugin(), makeBackend({ dynamicForwardProxy: { enableTls: 'yes' } }));
    expect(run.cluster).toBeUndefined();
    expectDiagnostics(run, [{ severity: 'error', code: 'invalid-field', path: 'spec.dynamicForwardProxy.enableTls' }]);
    expectInvalid(run, undefined, 'must be true or false');
    // The failure message the guide shows, for a typo in the expected path.
    expect(() => expectDiagnostic(run, { path: 'spec.dynamicForwardProxy.enableTLS' })).toThrow(
      'expected a diagnostic matching {path: "spec.dynamicForwardProxy.enableTLS"}\n' +
        'the diagnostics are:\n' +
        '  error: Backend default/test: spec.dynamicForwardProxy.enableTls: must be true or false [invalid-field from @backendkit/example-dynamic-forward-proxy]',
    );
  });
});

describe('6. register it', () => {
  const backend = makeBackend({ dynamicForwardProxy: {} }, { name: 'egress' });

  test('with the plain factory, next to the built-ins', () => {
    const translator = createTranslator({ plugins: [...builtinPlugins(), dynamicForwardProxyPlugin()] });
    const sameThing = createDefaultTranslator({ plugins: [dynamicForwardProxyPlugin()] });
    for (const t of [translator, sameThing]) {
      expect(t.translate([backend]).clusters.map((c) => c.name)).toEqual(['backend_default_egress_0']);
      expect(t.translate([makeBackend({})]).diagnostics[0]?.message).toBe(
        'exactly one of the fields in [static kubernetes aws dynamicForwardProxy] must be set',
      );
    }
  });

  test('through a tsyringe container', () => {
    const app = container.createChildContainer();
    app.register(BACKEND_PLUGIN, { useValue: dynamicForwardProxyPlugin() });
    const translator = createTranslator({ plugins: builtinPlugins(), container: app });
    expect(translator.translate([backend]).clusters.map((c) => c.name)).toEqual(['backend_default_egress_0']);
  });

  test('registering the key twice is a wiring error found at start-up', () => {
    let error: unknown;
    try {
      createTranslator({ plugins: [dynamicForwardProxyPlugin(), { ...dynamicForwardProxyPlugin(), name: 'other' }] });
    } catch (e) {
      error = e;
    }
    expect(isDuplicatePluginError(error)).toBe(true);
  });
});

describe('7. sources through ctx.resolve', () => {
  interface UpstreamCaSource {
    caFileFor(namespace: string): string | undefined;
  }
  const UPSTREAM_CA_SOURCE = Symbol.for('acme.UpstreamCaSource');

  // The example plugin, with its CA file chosen per namespace by a source the host may provide.
  const plugin = definePlugin({
    name: 'acme/dynamic-forward-proxy',
    key: 'dynamicForwardProxy',
    schema: dynamicForwardProxySchema,
    translate(spec, ctx) {
      const source = ctx.resolve<UpstreamCaSource>(UPSTREAM_CA_SOURCE, () => ({ caFileFor: () => undefined }));
      const caFile = source.caFileFor(ctx.backend.metadata.namespace) ?? DEFAULT_CA_FILE;
      return dynamicForwardProxyPlugin({ caFile }).translate!(spec, ctx);
    },
  });
  const backend = makeBackend({ dynamicForwardProxy: { enableTls: true } }, { namespace: 'acme' });
  const caFileOf = (run: ReturnType<typeof runPlugin>) =>
    (run.cluster as any).transportSocket.typedConfig.commonTlsContext.validationContext.trustedCa.filename;

  test('without a provided source, the default answers', () => {
    expect(caFileOf(runPlugin(plugin, backend))).toBe('/etc/ssl/certs/ca-certificates.crt');
  });

  test('a test (or a host) provides its own', () => {
    const run = runPlugin(plugin, backend, { provide: [[UPSTREAM_CA_SOURCE, { caFileFor: (ns: string) => `/etc/${ns}/ca.pem` }]] });
    expect(caFileOf(run)).toBe('/etc/acme/ca.pem');
  });
});

describe('8. order and variants', () => {
  test('a feature plugin adds to the clusters it applies to', () => {
    const bufferLimit = definePlugin({
      name: 'acme/buffer-limit',
      extend: (target) => (target.typeKey === 'dynamicForwardProxy' ? { cluster: { perConnectionBufferLimitBytes: 65536 } } : undefined),
    });
    const run = runPlugin(bufferLimit, makeBackend({ dynamicForwardProxy: {} }), { plugins: [dynamicForwardProxyPlugin()] });
    expect(run.fragment).toEqual({ cluster: { perConnectionBufferLimitBytes: 65536 } });
    expect(run.cluster).toMatchObject({ lbPolicy: 'CLUSTER_PROVIDED', perConnectionBufferLimitBytes: 65536 });
  });

  test('two plugins that disagree on a field are a conflict naming both, defaults included', () => {
    const leastRequest = definePlugin({ name: 'acme/least-request', extend: () => ({ cluster: { lbPolicy: 'LEAST_REQUEST' } }) });
    const run = runPlugin(leastRequest, makeBackend({ dynamicForwardProxy: {} }), { plugins: [dynamicForwardProxyPlugin()] });
    expectDiagnostic(run, {
      code: 'merge-conflict',
      message: 'plugins "@backendkit/example-dynamic-forward-proxy" and "acme/least-request" disagree at cluster.lbPolicy',
    });
    expect(run.cluster).toBeUndefined();
    // Writing a proto3 default (ROUND_ROBIN is 0) still counts as setting the field: it conflicts too.
    const roundRobin = definePlugin({ name: 'acme/round-robin', extend: () => ({ cluster: { lbPolicy: 'ROUND_ROBIN' } }) });
    const loud = runPlugin(roundRobin, makeBackend({ dynamicForwardProxy: {} }), { plugins: [dynamicForwardProxyPlugin()] });
    expectDiagnostic(loud, { code: 'merge-conflict', message: 'disagree at cluster.lbPolicy' });
    expect(loud.cluster).toBeUndefined();
  });

  test('variants share a key; exactly one variant field may be set', () => {
    const shared = { region: z.string().default('eu-1') };
    const cloudVm = definePlugin({
      name: 'acme/cloud-vm',
      key: 'cloud',
      variant: 'vm',
      schema: z.strictObject({ ...shared, vm: z.strictObject({ id: z.string() }) }),
      translate: () => ({ cluster: { type: 'STATIC' } }),
    });
    const cloudFn = definePlugin({
      name: 'acme/cloud-fn',
      key: 'cloud',
      variant: 'fn',
      schema: z.strictObject({ ...shared, fn: z.strictObject({ name: z.string() }) }),
      translate: () => ({ cluster: { type: 'LOGICAL_DNS' } }),
    });
    const both = runPlugin(cloudVm, makeBackend({ cloud: { vm: { id: 'i-1' }, fn: { name: 'f' } } }), { plugins: [cloudFn] });
    expectDiagnostics(both, [{ code: 'exactly-one-type', path: 'spec.cloud', message: 'exactly one of the fields in [vm fn] must be set' }]);
    const vm = runPlugin(cloudVm, makeBackend({ cloud: { vm: { id: 'i-1' } } }), { plugins: [cloudFn] });
    expect(vm.spec).toEqual({ region: 'eu-1', vm: { id: 'i-1' } });
  });
});

describe('9. schema export', () => {
  test('the JSON Schema of the built-ins plus this plugin lists its key', () => {
    const schema = backendSpecJsonSchema([...builtinPlugins(), dynamicForwardProxyPlugin()]);
    expect(Object.keys(schema.properties as object)).toEqual(['type', 'static', 'kubernetes', 'aws', 'dynamicForwardProxy']);
  });
});
