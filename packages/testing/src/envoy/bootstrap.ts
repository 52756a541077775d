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

/**
 * A bootstrap that makes Envoy load every cluster of an output, for `envoy --mode validate`. EDS
 * clusters keep their ADS config source; each ClusterLoadAssignment is checked as the load
 * assignment of a STATIC cluster of its own, as Envoy has no bootstrap slot for a bare assignment.
 */
export function validationBootstrap(resources: EnvoyResources): Record<string, unknown> {
  const assignmentClusters = (resources.assignments ?? []).map((assignment, index) => ({
    name: `backendkit_validate_assignment_${index}`,
    type: 'STATIC',
    connectTimeout: '1s',
    loadAssignment: assignment,
  }));
  return {
    node: { id: 'backendkit-validate', cluster: 'backendkit' },
    dynamicResources: adsDynamicResources(),
    staticResources: { clusters: [xdsCluster('127.0.0.1', 18000), ...(resources.clusters ?? []), ...assignmentClusters] },
  };
}
