import { DEFAULT_SYSTEM_CA_BUNDLE } from '@backendkit/core/helpers';
/** The cluster name the test bootstraps give the xDS server (docs/envoy.md). */
export const XDS_CLUSTER = 'backendkit_xds';

const HTTP2_ONLY = {
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
    '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
    explicitHttpConfig: { http2ProtocolOptions: {} },
  },
};

/** A static cluster for an ADS server at `host:port` (gRPC needs HTTP/2). */
export function xdsCluster(host: string, port: number): Record<string, unknown> {
  return {
    name: XDS_CLUSTER,
    type: 'STATIC',
    connectTimeout: '1s',
    typedExtensionProtocolOptions: HTTP2_ONLY,
    loadAssignment: {
      clusterName: XDS_CLUSTER,
      endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: host, portValue: port } } } }] }],
    },
  };
}

/** `dynamic_resources` taking everything over one ADS stream to {@link XDS_CLUSTER}. */
export function adsDynamicResources(options: { cds?: boolean; lds?: boolean } = {}): Record<string, unknown> {
  const ads = { ads: {}, resourceApiVersion: 'V3' };
  return {
    adsConfig: { apiType: 'GRPC', transportApiVersion: 'V3', grpcServices: [{ envoyGrpc: { clusterName: XDS_CLUSTER } }] },
    ...(options.cds ? { cdsConfig: ads } : {}),
    ...(options.lds ? { ldsConfig: ads } : {}),
  };
}

/** The parts of a golden output Envoy can load: clusters and the assignments of EDS clusters. */
export interface EnvoyResources {
  clusters?: unknown[];
  assignments?: unknown[];
}

/** The system CA bundle (core's default): what a stand-in validation secret trusts. */
export const SYSTEM_CA_BUNDLE = DEFAULT_SYSTEM_CA_BUNDLE;

/**
 * Names of validation-context secrets the clusters take from the bootstrap: an `SdsSecretConfig`
 * with a name and no `sdsConfig` is a static secret, which Envoy must find when it loads the cluster
 * (BackendTLSPolicy's `SYSTEM_CA_CERT`, docs/backend-tls-policy.md).
 */
export function staticValidationSecrets(clusters: readonly unknown[]): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      const ref = child as { name?: unknown; sdsConfig?: unknown } | null;
      if (key === 'validationContextSdsSecretConfig' && typeof ref?.name === 'string' && ref.sdsConfig === undefined) names.add(ref.name);
      else visit(child);
    }
  };
  visit(clusters);
  return [...names].sort();
}

/**
 * A bootstrap that makes Envoy load every cluster of an output, for `envoy --mode validate`. EDS
 * clusters keep their ADS config source; each ClusterLoadAssignment is checked as the load
 * assignment of a STATIC cluster of its own, as Envoy has no bootstrap slot for a bare assignment.
 * Each static validation secret the clusters name is given as one trusting `caBundle` (default the
 * system bundle), so the clusters that use it load.
 */
export function validationBootstrap(resources: EnvoyResources, options: { caBundle?: string } = {}): Record<string, unknown> {
  const assignmentClusters = (resources.assignments ?? []).map((assignment, index) => ({
    name: `backendkit_validate_assignment_${index}`,
    type: 'STATIC',
    connectTimeout: '1s',
    loadAssignment: assignment,
  }));
  const trustedCa = { filename: options.caBundle ?? SYSTEM_CA_BUNDLE };
  const secrets = staticValidationSecrets(resources.clusters ?? []).map((name) => ({ name, validationContext: { trustedCa } }));
  return {
    node: { id: 'backendkit-validate', cluster: 'backendkit' },
    dynamicResources: adsDynamicResources(),
    staticResources: {
      clusters: [xdsCluster('127.0.0.1', 18000), ...(resources.clusters ?? []), ...assignmentClusters],
      ...(secrets.length > 0 ? { secrets } : {}),
    },
  };
}
