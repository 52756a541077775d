import type { DescMessage } from '@bufbuild/protobuf';
import * as clusters from '@backendkit/xds-types/clusters';
import * as root from '@backendkit/xds-types';

// The cluster side (README, "Import cost"): its registry resolves every message of its entry, and
// nothing only listeners, the bootstrap or the discovery services use.

/** Every message schema a namespace of the entry exports. */
function messagesOf(entry: Record<string, unknown>): DescMessage[] {
  const found: DescMessage[] = [];
  for (const namespace of Object.values(entry)) {
    if (typeof namespace !== 'object' || namespace === null || 'kind' in namespace) continue;
    for (const value of Object.values(namespace)) {
      if (typeof value === 'object' && value !== null && (value as { kind?: string }).kind === 'message') found.push(value as DescMessage);
    }
  }
  return found;
}

describe('@backendkit/xds-types/clusters', () => {
  const clusterMessages = messagesOf(clusters);

  test('its registry holds every message schema of the entry, as the same descriptor', () => {
    expect(clusterMessages.length).toBeGreaterThan(200);
    const missing = clusterMessages.filter((schema) => clusters.clusterRegistry.getMessage(schema.typeName) !== schema).map((s) => s.typeName);
    expect(missing).toEqual([]);
  });

  test('the root exports the same namespaces and descriptors (one copy of each file)', () => {
    for (const [name, namespace] of Object.entries(clusters)) expect((root as Record<string, unknown>)[name]).toBe(namespace);
    for (const schema of clusterMessages) expect(root.registry.getMessage(schema.typeName)).toBe(schema);
  });

  test('the messages a cluster holds in its Any fields resolve; listener, bootstrap and discovery ones do not', () => {
    for (const name of [
      'envoy.config.cluster.v3.Cluster',
      'envoy.config.endpoint.v3.ClusterLoadAssignment',
      'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      'envoy.extensions.clusters.dns.v3.DnsCluster',
      'envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin',
      'envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec',
      'envoy.extensions.transport_sockets.tls.v3.Secret',
      'google.protobuf.Duration',
    ]) {
      expect(clusters.clusterRegistry.getMessage(name)?.typeName).toBe(name);
    }
    for (const name of [
      'envoy.config.listener.v3.Listener',
      'envoy.config.bootstrap.v3.Bootstrap',
      'envoy.service.discovery.v3.DiscoveryResponse',
      'envoy.extensions.filters.http.router.v3.Router',
    ]) {
      expect(clusters.clusterRegistry.getMessage(name)).toBeUndefined();
      expect(root.registry.getMessage(name)?.typeName).toBe(name);
    }
  });
});
