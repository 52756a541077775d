import type { dnsCluster as dnsClusterTypes } from '@backendkit/xds-types/clusters';
import type { ClusterJson, TranslatorOptions } from './plugin';

/** The cluster extension name Envoy registers `DnsCluster` under (docs/dns-clusters.md). */
export const DNS_CLUSTER_EXTENSION = 'envoy.clusters.dns';

export interface DnsClusterShape {
  /**
   * One endpoint that takes the first address DNS returns (`LOGICAL_DNS` semantics, for large
   * services that rotate addresses) instead of one host per address (`STRICT_DNS`). Default false.
   */
  singleEndpoint?: boolean;
}

/**
 * The discovery part of a DNS-resolved cluster, IPv4 preferred. By default the `envoy.clusters.dns`
 * extension with `dnsLookupFamily` inside it, as kgateway emits; with `clusterShape: 'legacy'` the
 * `type: STRICT_DNS | LOGICAL_DNS` shape with `dnsLookupFamily` on the cluster, for Envoy before 1.33
 * and xDS clients that don't know the extension. Every plugin that resolves names by DNS calls this,
 * so the choice is made in one place (docs/dns-clusters.md).
 */
export function dnsCluster(options: Pick<TranslatorOptions, 'clusterShape'>, shape: DnsClusterShape = {}): ClusterJson {
  const single = shape.singleEndpoint === true;
  if (options.clusterShape === 'legacy') return { type: single ? 'LOGICAL_DNS' : 'STRICT_DNS', dnsLookupFamily: 'V4_PREFERRED' };
  // The type URL written out: importing the schema would build its descriptors (docs/performance.md, "CLI start-up").
  // `@type` last, where `toJson` writes it: a plugin that freezes this part keeps it as it is (./frozen).
  const type = 'type.googleapis.com/envoy.extensions.clusters.dns.v3.DnsCluster';
  const config: dnsClusterTypes.DnsClusterJson & { '@type': string } = single
    ? { dnsLookupFamily: 'V4_PREFERRED', allAddressesInSingleEndpoint: true, '@type': type }
    : { dnsLookupFamily: 'V4_PREFERRED', '@type': type };
  return { clusterType: { name: DNS_CLUSTER_EXTENSION, typedConfig: config } };
}
