import { wantsHttp2 } from '@backendkit/http2';
import type { ClusterJson, FragmentOverrides } from '@backendkit/core';
import type { BCP_FIELDS, BcpSpec } from './bcp-schema';
import { buildLb } from './bcp-lb';
import {
  HTTP_OPTIONS_KEY,
  HTTP_OPTIONS_TYPE,
  PRESERVE_CASE,
  PRESERVE_CASE_TYPE,
  PROXY_PROTOCOL_SOCKET,
  PROXY_PROTOCOL_TYPE,
  RAW_BUFFER_SOCKET,
  RAW_BUFFER_TYPE,
} from './envoy-names';
import { CLUSTER, envoyHasField } from './envoy-api';
import { protoDuration, wholeSeconds } from './units';

type Json = Record<string, unknown>;

/** A field of the merged policy, and why it does not apply here. */
export type Warning = [field: (typeof BCP_FIELDS)[number], message: string];

export interface ApplyInput {
  spec: Partial<BcpSpec>;
  /** The cluster as the type plugin built it (read-only). */
  base: ClusterJson;
  appProtocol: string | undefined;
  /** The TLS socket the policies give this cluster (BCP tls or the winning BackendTLSPolicy's). */
  tlsSocket: Json | undefined;
  /** The policy whose `loadBalancer` applies: slow start's runtime key names it. */
  lbPolicy: { name: string; namespace: string } | undefined;
}

export interface Applied {
  cluster: ClusterJson;
  /** Fields of the type plugin's cluster or assignment the policy takes over (docs/plugins.md). */
  overrides?: FragmentOverrides;
  /** Fields that do not apply to this cluster: said, not fatal (kgateway logs them). */
  warnings: Warning[];
}

/** The merged BackendConfigPolicy fields as one cluster fragment, in kgateway's order (docs/backend-config-policy.md). */
export function applyBcp({ spec, base, appProtocol, tlsSocket, lbPolicy }: ApplyInput): Applied {
  const cluster: Json = {};
  const warnings: Warning[] = [];
  const overrides: { cluster: string[]; assignment: string[] } = { cluster: [], assignment: [] };
  // The upstream protocol the cluster has already (the type plugin's HttpProtocolOptions): kept, as
  // kgateway edits that message rather than replacing it (docs/backend-config-policy.md).
  const existing = base.typedExtensionProtocolOptions?.[HTTP_OPTIONS_KEY] as
    { explicitHttpConfig?: Json; useDownstreamProtocolConfig?: Json; autoConfig?: Json } | undefined;
  const hasProtocol = existing?.explicitHttpConfig !== undefined || existing?.useDownstreamProtocolConfig !== undefined || existing?.autoConfig !== undefined;
  const http2 = wantsHttp2(appProtocol) || existing?.explicitHttpConfig?.http2ProtocolOptions !== undefined;

  if (spec.connectTimeout) cluster.connectTimeout = protoDuration(spec.connectTimeout);
  if (spec.perConnectionBufferLimitBytes !== undefined) cluster.perConnectionBufferLimitBytes = spec.perConnectionBufferLimitBytes;
  if (spec.tcpKeepalive) {
    const k = spec.tcpKeepalive;
    const keepalive: Json = {};
    if (k.keepAliveProbes !== undefined) keepalive.keepaliveProbes = k.keepAliveProbes;
    if (k.keepAliveTime) keepalive.keepaliveTime = wholeSeconds(k.keepAliveTime);
    if (k.keepAliveInterval) keepalive.keepaliveInterval = wholeSeconds(k.keepAliveInterval);
    cluster.upstreamConnectionOptions = { tcpKeepalive: keepalive };
  }

  const options = httpOptions(spec, http2, hasProtocol, warnings);
  if (options) cluster.typedExtensionProtocolOptions = { [HTTP_OPTIONS_KEY]: { '@type': HTTP_OPTIONS_TYPE, ...options } };

  if (spec.upstreamProxyProtocol) {
    const inner = tlsSocket ?? base.transportSocket ?? { name: RAW_BUFFER_SOCKET, typedConfig: { '@type': RAW_BUFFER_TYPE } };
    const config = spec.upstreamProxyProtocol.version === 'V2' ? { version: 'V2' } : {};
    cluster.transportSocket = { name: PROXY_PROTOCOL_SOCKET, typedConfig: { '@type': PROXY_PROTOCOL_TYPE, config, transportSocket: inner } };
  } else if (tlsSocket) {
    cluster.transportSocket = tlsSocket;
  }

  if (spec.loadBalancer) {
    // An EDS cluster's default locality weighting (core's shape) gives way to the typed policy, which
    // carries its own locality choice; kgateway adds that default only when no policy is typed
    // (docs/backend-config-policy.md, "loadBalancer on EDS").
    if (base.commonLbConfig?.localityWeightedLbConfig !== undefined) overrides.cluster.push(LOCALITY_DEFAULT);
    const dnsConfig = dnsClusterConfig(base);
    const hostnameHashing = base.type === 'STRICT_DNS' || (dnsConfig !== undefined && dnsConfig.allAddressesInSingleEndpoint !== true);
    const lb = buildLb(spec.loadBalancer, lbPolicy?.name ?? '', lbPolicy?.namespace ?? '', hostnameHashing);
    Object.assign(cluster, lb.cluster);
    warnings.push(...lb.warnings.map((w): Warning => ['loadBalancer', w]));
  }
  if (spec.healthCheck) {
    const h = spec.healthCheck;
    const check: Json = {
      timeout: protoDuration(h.timeout),
      interval: protoDuration(h.interval),
      unhealthyThreshold: h.unhealthyThreshold,
      healthyThreshold: h.healthyThreshold,
    };
    if (h.http)
      check.httpHealthCheck = { ...(h.http.host ? { host: h.http.host } : {}), path: h.http.path, ...(h.http.method ? { method: h.http.method } : {}) };
    if (h.grpc)
      check.grpcHealthCheck = {
        ...(h.grpc.serviceName ? { serviceName: h.grpc.serviceName } : {}),
        ...(h.grpc.authority ? { authority: h.grpc.authority } : {}),
      };
    cluster.healthChecks = [check];
    // Envoy sends an endpoint's health check hostname instead of the check's own host: the policy
    // takes it over from every endpoint, as kgateway clears it (docs/backend-config-policy.md, "healthCheck").
    if (h.http?.host || h.grpc?.authority) {
      overrides.cluster.push(`loadAssignment.${HEALTH_CHECK_HOSTNAME}`);
      overrides.assignment.push(HEALTH_CHECK_HOSTNAME);
    }
  }
  if (spec.outlierDetection) {
    const o = spec.outlierDetection;
    const out: Json = {
      consecutive5xx: o.consecutive5xx,
      interval: protoDuration(o.interval),
      baseEjectionTime: protoDuration(o.baseEjectionTime),
      maxEjectionPercent: o.maxEjectionPercent,
    };
    if (o.enforcingConsecutive5xx !== undefined) out.enforcingConsecutive5xx = o.enforcingConsecutive5xx;
    if (o.splitExternalLocalOriginErrors !== undefined) out.splitExternalLocalOriginErrors = o.splitExternalLocalOriginErrors;
    if (o.consecutiveLocalOriginFailure !== undefined) out.consecutiveLocalOriginFailure = o.consecutiveLocalOriginFailure;
    if (o.enforcingConsecutiveLocalOriginFailure !== undefined) out.enforcingConsecutiveLocalOriginFailure = o.enforcingConsecutiveLocalOriginFailure;
    cluster.outlierDetection = out;
  }
  if (spec.circuitBreakers) {
    const c = spec.circuitBreakers;
    const threshold: Json = {};
    if (c.maxConnections !== undefined) threshold.maxConnections = c.maxConnections;
    if (c.maxPendingRequests !== undefined) threshold.maxPendingRequests = c.maxPendingRequests;
    if (c.maxRequests !== undefined) threshold.maxRequests = c.maxRequests;
    if (c.maxRetries !== undefined) threshold.maxRetries = c.maxRetries;
    if (c.trackRemaining !== undefined) threshold.trackRemaining = c.trackRemaining;
    cluster.circuitBreakers = { thresholds: [threshold] };
  }
  if (spec.dns) {
    const fields: Json = {};
    if (spec.dns.refreshRate) fields.dnsRefreshRate = protoDuration(spec.dns.refreshRate);
    if (spec.dns.jitter) fields.dnsJitter = protoDuration(spec.dns.jitter);
    if (spec.dns.respectTTL !== undefined) fields.respectDnsTtl = spec.dns.respectTTL;
    const dnsConfig = dnsClusterConfig(base);
    if (dnsConfig) {
      // kgateway's case: the fields go into the DnsCluster typed config, merged by core with the type plugin's.
      cluster.clusterType = { name: DNS_CLUSTER, typedConfig: { '@type': dnsConfig['@type'], ...fields } };
    } else if (base.type === 'STRICT_DNS' || base.type === 'LOGICAL_DNS') {
      // The legacy DNS cluster shape: the same settings are Cluster fields (dnsJitter where the API has it).
      if (fields.dnsJitter && !envoyHasField(CLUSTER, 'dnsJitter')) {
        delete fields.dnsJitter;
        warnings.push(['dns', 'dns.jitter has no field on a STRICT_DNS/LOGICAL_DNS cluster in the Envoy API backendkit is built on: ignored']);
      }
      Object.assign(cluster, fields);
    }
  }
  const taken: FragmentOverrides = {
    ...(overrides.cluster.length > 0 ? { cluster: overrides.cluster } : {}),
    ...(overrides.assignment.length > 0 ? { assignment: overrides.assignment } : {}),
  };
  return { cluster: cluster as ClusterJson, warnings, ...(Object.keys(taken).length > 0 ? { overrides: taken } : {}) };
}

const LOCALITY_DEFAULT = 'commonLbConfig.localityWeightedLbConfig';
const HEALTH_CHECK_HOSTNAME = 'endpoints[].lbEndpoints[].endpoint.healthCheckConfig.hostname';

function httpOptions(spec: Partial<BcpSpec>, http2: boolean, hasProtocol: boolean, warnings: Warning[]): Json | undefined {
  const out: Json = {};
  let explicit: Json | undefined;
  if (spec.commonHttpProtocolOptions) {
    const c = spec.commonHttpProtocolOptions;
    const common: Json = {};
    if (c.idleTimeout) common.idleTimeout = protoDuration(c.idleTimeout);
    if (c.maxConnectionDuration) common.maxConnectionDuration = protoDuration(c.maxConnectionDuration);
    if (c.maxHeadersCount !== undefined) common.maxHeadersCount = c.maxHeadersCount;
    if (c.maxStreamDuration) common.maxStreamDuration = protoDuration(c.maxStreamDuration);
    if (c.maxRequestsPerConnection !== undefined) common.maxRequestsPerConnection = c.maxRequestsPerConnection;
    out.commonHttpProtocolOptions = common;
    // Envoy needs an upstream protocol beside them: the backend's own.
    if (!hasProtocol) explicit = http2 ? { http2ProtocolOptions: {} } : { httpProtocolOptions: {} };
  }
  if (spec.http1ProtocolOptions) {
    if (http2) warnings.push(['http1ProtocolOptions', 'http1ProtocolOptions do not apply to an HTTP/2 backend: ignored']);
    else {
      const h = spec.http1ProtocolOptions;
      const http1: Json = {};
      if (h.enableTrailers !== undefined) http1.enableTrailers = h.enableTrailers;
      if (h.preserveHttp1HeaderCase) {
        http1.headerKeyFormat = { statefulFormatter: { name: PRESERVE_CASE, typedConfig: { '@type': PRESERVE_CASE_TYPE } } };
      }
      if (h.overrideStreamErrorOnInvalidHttpMessage !== undefined) http1.overrideStreamErrorOnInvalidHttpMessage = h.overrideStreamErrorOnInvalidHttpMessage;
      explicit = { httpProtocolOptions: http1 };
    }
  }
  if (spec.http2ProtocolOptions) {
    if (!http2) warnings.push(['http2ProtocolOptions', 'http2ProtocolOptions apply only to HTTP/2 backends: ignored']);
    else {
      const h = spec.http2ProtocolOptions;
      const http2Options: Json = {};
      if (h.initialStreamWindowSize !== undefined) http2Options.initialStreamWindowSize = h.initialStreamWindowSize;
      if (h.initialConnectionWindowSize !== undefined) http2Options.initialConnectionWindowSize = h.initialConnectionWindowSize;
      if (h.maxConcurrentStreams !== undefined) http2Options.maxConcurrentStreams = h.maxConcurrentStreams;
      if (h.overrideStreamErrorOnInvalidHttpMessage !== undefined)
        http2Options.overrideStreamErrorOnInvalidHttpMessage = h.overrideStreamErrorOnInvalidHttpMessage;
      if (h.connectionKeepalive) {
        const k = h.connectionKeepalive;
        http2Options.connectionKeepalive = {
          timeout: protoDuration(k.timeout),
          ...(k.interval ? { interval: protoDuration(k.interval) } : {}),
          ...(k.connectionIdleInterval ? { connectionIdleInterval: protoDuration(k.connectionIdleInterval) } : {}),
        };
      }
      explicit = { http2ProtocolOptions: http2Options };
    }
  }
  if (explicit) out.explicitHttpConfig = explicit;
  return Object.keys(out).length > 0 ? out : undefined;
}

const DNS_CLUSTER = 'envoy.clusters.dns';

/** The DnsCluster typed config of an `envoy.clusters.dns` cluster, if the type plugin built one. */
function dnsClusterConfig(base: ClusterJson): (Json & { '@type': unknown; allAddressesInSingleEndpoint?: unknown }) | undefined {
  const type = base.clusterType as { name?: unknown; typedConfig?: Json } | undefined;
  return type?.name === DNS_CLUSTER && type.typedConfig ? (type.typedConfig as Json & { '@type': unknown }) : undefined;
}
