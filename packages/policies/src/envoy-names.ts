// Type URLs and extension names written out (the plugins build proto3 JSON); a test checks each
// against the generated schema.
const T = 'type.googleapis.com/';
export const HTTP_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
export const HTTP_OPTIONS_TYPE = T + HTTP_OPTIONS_KEY;
export const TLS_SOCKET = 'envoy.transport_sockets.tls';
export const UPSTREAM_TLS_TYPE = T + 'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
export const PROXY_PROTOCOL_SOCKET = 'envoy.transport_sockets.upstream_proxy_protocol';
export const PROXY_PROTOCOL_TYPE = T + 'envoy.extensions.transport_sockets.proxy_protocol.v3.ProxyProtocolUpstreamTransport';
export const RAW_BUFFER_SOCKET = 'envoy.transport_sockets.raw_buffer';
export const RAW_BUFFER_TYPE = T + 'envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer';
export const PRESERVE_CASE = 'envoy.http.stateful_header_formatters.preserve_case';
export const PRESERVE_CASE_TYPE = T + 'envoy.extensions.http.header_formatters.preserve_case.v3.PreserveCaseFormatterConfig';
export const SECRET_TYPE = T + 'envoy.extensions.transport_sockets.tls.v3.Secret';
export const LB_POLICY_TYPES = {
  leastRequest: ['envoy.load_balancing_policies.least_request', T + 'envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest'],
  roundRobin: ['envoy.load_balancing_policies.round_robin', T + 'envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin'],
  ringHash: ['envoy.load_balancing_policies.ring_hash', T + 'envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash'],
  maglev: ['envoy.load_balancing_policies.maglev', T + 'envoy.extensions.load_balancing_policies.maglev.v3.Maglev'],
  random: ['envoy.load_balancing_policies.random', T + 'envoy.extensions.load_balancing_policies.random.v3.Random'],
} as const;
/** The SDS secret kgateway names for the system CA bundle (core's, shared with the hosts that provide it). */
export { SYSTEM_CA_SECRET_NAME as SYSTEM_CA_SECRET } from '@backendkit/core/helpers';
