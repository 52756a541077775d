import { definePlugin, type BackendPlugin, type ClusterJson } from '@backendkit/core';
import { anyJson } from '@backendkit/core/envoy';
import { dynamicForwardProxy, tls } from '@backendkit/xds-types';
import { dynamicForwardProxySchema, type DynamicForwardProxySpec } from './schema';

/** Envoy's name for the cluster extension that resolves each request's host on the fly. */
export const DYNAMIC_FORWARD_PROXY_CLUSTER = 'envoy.clusters.dynamic_forward_proxy';
/**
 * The DNS cache the cluster shares with the `envoy.filters.http.dynamic_forward_proxy` HTTP filter.
 * Envoy requires both to name the same cache with the same settings, so the route side must use it too.
 */
export const DEFAULT_DNS_CACHE_NAME = 'dynamic_forward_proxy_cache_config';
/** The CA bundle of Debian/Ubuntu-based images, Envoy's official image included. */
export const DEFAULT_CA_FILE = '/etc/ssl/certs/ca-certificates.crt';

export interface DynamicForwardProxyOptions {
  /** DNS cache name; must match the HTTP filter's. Default `dynamic_forward_proxy_cache_config`. */
  dnsCacheName?: string;
  /** Trusted CA bundle for `enableTls`, as a path on the proxy's file system. */
  caFile?: string;
}

/**
 * kgateway's `dynamicForwardProxy` Backend: a cluster with no endpoints of its own whose hosts come
 * from the requests, so the load-balancing policy must be the cluster's own (`CLUSTER_PROVIDED`).
 */
export function dynamicForwardProxyPlugin(options: DynamicForwardProxyOptions = {}): BackendPlugin<DynamicForwardProxySpec> {
  const dnsCacheName = options.dnsCacheName ?? DEFAULT_DNS_CACHE_NAME;
  const caFile = options.caFile ?? DEFAULT_CA_FILE;
  return definePlugin<DynamicForwardProxySpec>({
    name: '@backendkit/example-dynamic-forward-proxy',
    key: 'dynamicForwardProxy',
    schema: dynamicForwardProxySchema,
    translate(spec) {
      const cluster: ClusterJson = {
        lbPolicy: 'CLUSTER_PROVIDED',
        // `clusterType` shares a oneof with `type`: setting it makes this a custom cluster type.
        clusterType: {
          name: DYNAMIC_FORWARD_PROXY_CLUSTER,
          typedConfig: anyJson(dynamicForwardProxy.ClusterConfigSchema, {
            dnsCacheConfig: { name: dnsCacheName, dnsLookupFamily: 'V4_PREFERRED' },
          }),
        },
      };
      if (spec.enableTls) {
        cluster.transportSocket = {
          name: 'envoy.transport_sockets.tls',
          typedConfig: anyJson(tls.UpstreamTlsContextSchema, {
            commonTlsContext: { validationContext: { trustedCa: { filename: caFile } } },
          }),
        };
      }
      return { cluster };
    },
  });
}
