import { join } from 'node:path';
// Core first: it loads reflect-metadata, which tsyringe needs before anything else.
import { BACKEND_PLUGIN, createTranslator, formatDiagnostic } from '@backendkit/core';
import { backendCrd, backendSpecJsonSchema } from '@backendkit/core/schema';
import { container } from 'tsyringe';
import { staticPlugin } from '@backendkit/static';
import {
  assertStrictEnvoy,
  expectAccepted,
  expectDiagnostics,
  expectInvalid,
  expectNoDiagnostics,
  goldenSuite,
  makeBackend,
  runPlugin,
  runTranslation,
} from '@backendkit/testing';
import { dynamicForwardProxyPlugin } from '../src';

const DFP_CONFIG = 'type.googleapis.com/envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig';
const TLS_CONTEXT = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';

// Whole translations (this plugin next to a built-in one) against reviewed golden files.
// BACKENDKIT_UPDATE_GOLDEN=1 rewrites them after a deliberate change.
describe('golden files', () => {
  goldenSuite(join(__dirname, 'fixtures'), { translate: { plugins: [staticPlugin(), dynamicForwardProxyPlugin()] } });
});

describe('the plugin on its own', () => {
  test('an empty spec gives a CLUSTER_PROVIDED cluster of the dynamic forward proxy type, without TLS', () => {
    const run = runPlugin(dynamicForwardProxyPlugin(), makeBackend({ dynamicForwardProxy: {} }, { name: 'egress' }));
    expectNoDiagnostics(run);
    expectAccepted(run);
    expect(run.spec).toEqual({ enableTls: false });
    expect(run.cluster).toEqual({
      name: 'backend_default_egress_0',
      connectTimeout: '5s',
      lbPolicy: 'CLUSTER_PROVIDED',
      clusterType: {
        name: 'envoy.clusters.dynamic_forward_proxy',
        typedConfig: { '@type': DFP_CONFIG, dnsCacheConfig: { name: 'dynamic_forward_proxy_cache_config', dnsLookupFamily: 'V4_PREFERRED' } },
      },
    });
    assertStrictEnvoy({ clusters: [run.cluster!] });
  });

  test('enableTls adds a TLS transport socket that trusts the system CA bundle', () => {
    const run = runPlugin(dynamicForwardProxyPlugin(), makeBackend({ dynamicForwardProxy: { enableTls: true } }));
    expect(run.fragment?.cluster?.transportSocket).toEqual({
      name: 'envoy.transport_sockets.tls',
      typedConfig: { '@type': TLS_CONTEXT, commonTlsContext: { validationContext: { trustedCa: { filename: '/etc/ssl/certs/ca-certificates.crt' } } } },
    });
    // No type/STATIC/EDS: the oneof holds clusterType, and a dynamic forward proxy has no endpoints of its own.
    expect(run.cluster).not.toHaveProperty('type');
    expect(run.cluster).not.toHaveProperty('loadAssignment');
    expect(run.assignment).toBeUndefined();
  });

  test('the DNS cache name and the CA file can be chosen by the host', () => {
    const plugin = dynamicForwardProxyPlugin({ dnsCacheName: 'egress-cache', caFile: '/etc/pki/tls/certs/ca-bundle.crt' });
    const run = runPlugin(plugin, makeBackend({ dynamicForwardProxy: { enableTls: true } }));
    expect(run.cluster).toMatchObject({
      clusterType: { typedConfig: { dnsCacheConfig: { name: 'egress-cache' } } },
      transportSocket: { typedConfig: { commonTlsContext: { validationContext: { trustedCa: { filename: '/etc/pki/tls/certs/ca-bundle.crt' } } } } },
    });
  });

  test('bad input is a diagnostic with the full path, never an exception', () => {
    const run = runPlugin(dynamicForwardProxyPlugin(), makeBackend({ dynamicForwardProxy: { enableTls: 'yes', sni: 'x' } }));
    expect(run.fragment).toBeUndefined();
    expect(run.cluster).toBeUndefined();
    expectDiagnostics(run, [
      { severity: 'error', code: 'invalid-field', path: 'spec.dynamicForwardProxy.enableTls', message: 'must be true or false' },
      { severity: 'error', code: 'unknown-field', path: 'spec.dynamicForwardProxy.sni' },
    ]);
    expectInvalid(run, undefined, 'Backend has 2 errors');
  });

  test('dynamicForwardProxy: null counts as not set', () => {
    const run = runPlugin(dynamicForwardProxyPlugin(), makeBackend({ dynamicForwardProxy: null }));
    expectDiagnostics(run, [{ code: 'exactly-one-type', path: 'spec', message: 'exactly one of the fields in [dynamicForwardProxy] must be set' }]);
  });
});

describe('registered from outside core', () => {
  test('the exactly-one message lists the built-in and the custom key', () => {
    const both = makeBackend({ static: { hosts: [{ host: 'a.example.com', port: 80 }] }, dynamicForwardProxy: {} });
    const { output } = runTranslation([both], { plugins: [staticPlugin(), dynamicForwardProxyPlugin()] });
    expect(output.diagnostics).toEqual(['error: Backend default/test: spec: exactly one of the fields in [static dynamicForwardProxy] must be set']);
  });

  test('through a tsyringe container, next to plugins given to the factory', () => {
    const parent = container.createChildContainer();
    parent.register(BACKEND_PLUGIN, { useValue: dynamicForwardProxyPlugin() });
    const translator = createTranslator({ plugins: [staticPlugin()], container: parent });
    const result = translator.translate([makeBackend({ dynamicForwardProxy: { enableTls: true } }, { name: 'egress' })]);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.clusters.map((c) => c.name)).toEqual(['backend_default_egress_0']);
    expect(translator.registry.keys.sort()).toEqual(['dynamicForwardProxy', 'static']);
  });
});

describe('schema export', () => {
  test('the custom key appears in the JSON Schema of Backend.spec, with its default', () => {
    const schema = backendSpecJsonSchema([staticPlugin(), dynamicForwardProxyPlugin()]);
    expect(schema.description).toBe('exactly one of the fields in [static dynamicForwardProxy] must be set');
    expect((schema.properties as Record<string, unknown>).dynamicForwardProxy).toEqual({
      type: 'object',
      properties: { enableTls: { default: false, type: 'boolean' } },
      additionalProperties: false,
    });
    // No legacy type of its own: a spec.type next to it is refused, as the translator refuses it.
    expect(schema.oneOf).toContainEqual({ required: ['dynamicForwardProxy'], not: { required: ['type'] } });
  });

  test('and in the CRD', () => {
    const crd = backendCrd([staticPlugin(), dynamicForwardProxyPlugin()]) as any;
    const spec = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    expect(spec.properties.dynamicForwardProxy).toEqual({ type: 'object', properties: { enableTls: { type: 'boolean', default: false } } });
  });
});
