import type { JsonObject } from '@bufbuild/protobuf';
import { checkStrict as fullCheckStrict, parseStrict as fullParseStrict, ClusterSchema } from '@backendkit/core/envoy';
import { createTranslator, type BackendPlugin } from '@backendkit/core';
import { staticPlugin } from '@backendkit/static';
import { checkStrict } from '../src/cluster-messages';

// The translation checks clusters against the cluster side of the Envoy API only (docs/performance.md,
// "CLI start-up"); `@backendkit/core/envoy` checks any message against every generated file.

const withTransportSocket = (type: string, fields: JsonObject = {}): JsonObject => ({
  name: 'c',
  transportSocket: { name: 'envoy.transport_sockets.x', typedConfig: { '@type': `type.googleapis.com/${type}`, ...fields } },
});

describe('the cluster-side strict check', () => {
  test('an Any of a cluster-side type is checked as before: good fields pass, unknown ones are refused', () => {
    const tls = 'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
    expect(checkStrict(ClusterSchema, withTransportSocket(tls, { sni: 'a.example.com' }))).toEqual(
      fullCheckStrict(ClusterSchema, withTransportSocket(tls, { sni: 'a.example.com' })),
    );
    expect(checkStrict(ClusterSchema, withTransportSocket(tls, { sni: 'a.example.com' })).ok).toBe(true);
    const bad = checkStrict(ClusterSchema, withTransportSocket(tls, { nope: 1 }));
    expect(bad.ok).toBe(false);
    expect(fullCheckStrict(ClusterSchema, withTransportSocket(tls, { nope: 1 }))).toEqual(bad);
  });

  test('an Any of an unknown type is refused by both', () => {
    const unknown = withTransportSocket('example.NoSuchType');
    expect(checkStrict(ClusterSchema, unknown).ok).toBe(false);
    expect(fullParseStrict(ClusterSchema, unknown).ok).toBe(false);
  });

  test('an Any of a listener-side type is refused in a cluster, and still read by @backendkit/core/envoy', () => {
    const listener = withTransportSocket('envoy.config.listener.v3.Listener', { name: 'l' });
    const refused = checkStrict(ClusterSchema, listener);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.error).toContain('envoy.config.listener.v3.Listener');
    expect(fullCheckStrict(ClusterSchema, listener).ok).toBe(true);
  });

  test('a translation refuses a plugin fragment whose Any is a listener-side type', () => {
    const writer: BackendPlugin = {
      name: 'test/writes-listener',
      extend: () => ({ cluster: withTransportSocket('envoy.config.listener.v3.Listener', { name: 'l' }) }),
    };
    const result = createTranslator({ plugins: [staticPlugin(), writer] }).translate([
      {
        apiVersion: 'gateway.kgateway.dev/v1alpha1',
        kind: 'Backend',
        metadata: { name: 'a', namespace: 'default' },
        spec: { static: { hosts: [{ host: '192.0.2.1', port: 80 }] } },
      },
    ]);
    expect(result.clusters).toEqual([]);
    expect(result.diagnostics.map((d) => d.message).join('\n')).toContain('envoy.config.listener.v3.Listener');
  });
});
