import { isIP } from 'node:net';
import type { JsonObject } from '@bufbuild/protobuf';
import { anyJson, parseStrict } from '@backendkit/core/envoy';
import { bootstrap, httpConnectionManager, router, upstreamHttp } from '@backendkit/xds-types';

/** The static cluster of the bootstrap that reaches the xDS server. */
export const XDS_CLUSTER_NAME = 'backendkit_xds';

/** The request header whose value names the cluster a request goes to (docs/xds-server.md). */
export const CLUSTER_HEADER = 'x-backendkit-cluster';

export interface BootstrapOptions {
  /** Where the xDS server listens, `host:port` (IPv6 as `[::1]:18000`). Default `127.0.0.1:18000`. */
  xdsAddress?: string;
  /** `node.id`. Default `backendkit`. */
  nodeId?: string;
  /** `node.cluster`. Default `backendkit`. */
  nodeCluster?: string;
  /** Admin interface port on 127.0.0.1; 0 leaves admin out. Default 9901. */
  adminPort?: number;
  /** HTTP listener port on 127.0.0.1, routing by {@link CLUSTER_HEADER}; 0 leaves it out. Default 10000. */
  listenerPort?: number;
  /** Use the incremental (delta) ADS protocol. Default false (state of the world). */
  delta?: boolean;
  /**
   * Static secrets (proto3 JSON of `envoy.extensions.transport_sockets.tls.v3.Secret`) for
   * `staticResources.secrets`: what clusters name in an `SdsSecretConfig` without `sdsConfig`, such as
   * BackendTLSPolicy's `SYSTEM_CA_CERT` (docs/xds-server.md, "Static secrets"). Default none.
   */
  secrets?: readonly JsonObject[];
}

/** An `--xds-address` that is not `host:port`. */
export class XdsAddressError extends Error {
  override name = 'XdsAddressError';
}

export function isXdsAddressError(error: unknown): error is XdsAddressError {
  return error instanceof XdsAddressError;
}

/** Splits `host:port` / `[v6]:port`. */
export function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !(port >= 1 && port <= 65535)) throw new XdsAddressError(`"${text}" is not host:port (a port from 1 to 65535)`);
  return { host: (match[1] ?? match[2])!, port };
}

function socketAddress(host: string, port: number): JsonObject {
  return { socketAddress: { address: host, portValue: port } };
}

/**
 * An Envoy bootstrap (proto3 JSON, checked with the generated `Bootstrap` schema) that takes CDS and
 * EDS over one ADS stream from a backendkit xDS server, with an admin interface and an HTTP listener
 * on 127.0.0.1 that sends each request to the cluster named by its `x-backendkit-cluster` header.
 */
export function envoyBootstrap(options: BootstrapOptions = {}): JsonObject {
  const { host, port } = parseHostPort(options.xdsAddress ?? '127.0.0.1:18000');
  const adminPort = options.adminPort ?? 9901;
  const listenerPort = options.listenerPort ?? 10000;
  const ads = { ads: {}, resourceApiVersion: 'V3' };
  const xdsCluster: JsonObject = {
    name: XDS_CLUSTER_NAME,
    type: isIP(host) ? 'STATIC' : 'STRICT_DNS',
    connectTimeout: '1s',
    // gRPC needs HTTP/2 to the server.
    typedExtensionProtocolOptions: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': anyJson(upstreamHttp.HttpProtocolOptionsSchema, {
        explicitHttpConfig: { http2ProtocolOptions: {} },
      }),
    } as JsonObject,
    loadAssignment: { clusterName: XDS_CLUSTER_NAME, endpoints: [{ lbEndpoints: [{ endpoint: { address: socketAddress(host, port) } }] }] },
  };
  const listener: JsonObject = {
    name: 'backendkit_http',
    address: socketAddress('127.0.0.1', listenerPort),
    filterChains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typedConfig: anyJson(httpConnectionManager.HttpConnectionManagerSchema, {
              statPrefix: 'backendkit',
              routeConfig: {
                name: 'backendkit',
                virtualHosts: [{ name: 'clusters', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { clusterHeader: CLUSTER_HEADER } }] }],
              },
              httpFilters: [{ name: 'envoy.filters.http.router', typedConfig: anyJson(router.RouterSchema, {}) }],
            }) as JsonObject,
          },
        ],
      },
    ],
  };
  const json: JsonObject = {
    node: { id: options.nodeId ?? 'backendkit', cluster: options.nodeCluster ?? 'backendkit' },
    ...(adminPort > 0 ? { admin: { address: socketAddress('127.0.0.1', adminPort) } } : {}),
    dynamicResources: {
      adsConfig: {
        apiType: options.delta ? 'DELTA_GRPC' : 'GRPC',
        transportApiVersion: 'V3',
        grpcServices: [{ envoyGrpc: { clusterName: XDS_CLUSTER_NAME } }],
        setNodeOnFirstMessageOnly: true,
      },
      cdsConfig: ads,
    },
    staticResources: {
      clusters: [xdsCluster],
      ...(listenerPort > 0 ? { listeners: [listener] } : {}),
      ...(options.secrets && options.secrets.length > 0 ? { secrets: [...options.secrets] } : {}),
    },
  };
  const parsed = parseStrict(bootstrap.BootstrapSchema, json);
  // Built here from fixed shapes and the caller's secrets: a failure is a bug in either, not user input.
  if (!parsed.ok) throw new Error(`backendkit built an invalid Envoy bootstrap: ${parsed.error}`);
  return json;
}
