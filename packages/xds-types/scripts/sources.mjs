// Where the Envoy API descriptors come from, and which of them backendkit needs.

/**
 * The Envoy API revision: the go-control-plane `envoy` module is tagged per Envoy release, and this
 * one matches the Envoy binary the tests run (see README.md).
 */
export const ENVOY_MODULE = 'github.com/envoyproxy/go-control-plane/envoy';
export const ENVOY_API_REVISION = 'v1.40.0';

/**
 * Proto path prefix → the Go module whose generated files carry it. Versions of the other modules
 * are the ones the envoy module's go.mod requires, so the set is the one Envoy's API was built with.
 * `under` limits the walk to the part of the module that holds the generated packages.
 */
export const DESCRIPTOR_MODULES = [
  { prefix: 'envoy/', module: ENVOY_MODULE },
  { prefix: 'xds/', module: 'github.com/cncf/xds/go' },
  { prefix: 'udpa/', module: 'github.com/cncf/xds/go' },
  { prefix: 'validate/', module: 'github.com/envoyproxy/protoc-gen-validate', under: 'validate' },
  { prefix: 'google/protobuf/', module: 'google.golang.org/protobuf', under: 'types' },
  { prefix: 'google/rpc/', module: 'google.golang.org/genproto/googleapis/rpc' },
  { prefix: 'google/api/', module: 'google.golang.org/genproto/googleapis/api' },
  { prefix: 'opentelemetry/', module: 'go.opentelemetry.io/proto/otlp' },
  { prefix: 'io/prometheus/', module: 'github.com/prometheus/client_model' },
  { prefix: 'cel/expr/', module: 'cel.dev/expr' },
];

const lbPolicy = (name) => `envoy/extensions/load_balancing_policies/${name}/v3/${name}.proto`;

/** The roots of the generated API (docs: packages/xds-types/README.md); their imports come along. */
export const ROOT_PROTOS = [
  // Resources and discovery
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/config/listener/v3/listener.proto',
  'envoy/config/route/v3/route.proto',
  'envoy/config/bootstrap/v3/bootstrap.proto',
  'envoy/service/discovery/v3/ads.proto',
  'envoy/service/discovery/v3/discovery.proto',
  'envoy/service/cluster/v3/cds.proto',
  'envoy/service/endpoint/v3/eds.proto',
  'envoy/service/listener/v3/lds.proto',
  'envoy/service/route/v3/rds.proto',
  'envoy/service/secret/v3/sds.proto',
  // Cluster parts
  'envoy/config/core/v3/health_check.proto',
  'envoy/config/cluster/v3/outlier_detection.proto',
  'envoy/config/cluster/v3/circuit_breaker.proto',
  'envoy/extensions/clusters/dns/v3/dns_cluster.proto',
  'envoy/extensions/clusters/dynamic_forward_proxy/v3/cluster.proto',
  ...['least_request', 'round_robin', 'ring_hash', 'maglev', 'random', 'wrr_locality', 'pick_first', 'cluster_provided'].map(lbPolicy),
  'envoy/extensions/load_balancing_policies/client_side_weighted_round_robin/v3/client_side_weighted_round_robin.proto',
  // Transport sockets and secrets
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  'envoy/extensions/transport_sockets/tls/v3/secret.proto',
  'envoy/extensions/transport_sockets/raw_buffer/v3/raw_buffer.proto',
  'envoy/extensions/transport_sockets/proxy_protocol/v3/upstream_proxy_protocol.proto',
  // Upstream HTTP
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/extensions/http/header_formatters/preserve_case/v3/preserve_case.proto',
  'envoy/extensions/filters/http/aws_lambda/v3/aws_lambda.proto',
  'envoy/extensions/filters/http/aws_request_signing/v3/aws_request_signing.proto',
  'envoy/extensions/filters/http/upstream_codec/v3/upstream_codec.proto',
  'envoy/extensions/filters/http/dynamic_forward_proxy/v3/dynamic_forward_proxy.proto',
  // Listener side
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
];

/**
 * The cluster side of the API: every file a `Cluster` or `ClusterLoadAssignment` can reach, and the
 * extensions that may sit in their `Any` fields (README, "Import cost"). `clusterRegistry` and the
 * schema table core checks clusters against (README, "Schema table") both come from this list.
 */
export const CLUSTER_SIDE_PROTOS = [
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/config/endpoint/v3/endpoint_components.proto',
  'envoy/config/core/v3/base.proto',
  'envoy/config/core/v3/address.proto',
  'envoy/config/core/v3/config_source.proto',
  'envoy/config/core/v3/protocol.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  'envoy/extensions/transport_sockets/tls/v3/common.proto',
  'envoy/extensions/transport_sockets/raw_buffer/v3/raw_buffer.proto',
  'envoy/extensions/transport_sockets/proxy_protocol/v3/upstream_proxy_protocol.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/extensions/filters/http/aws_lambda/v3/aws_lambda.proto',
  'envoy/extensions/filters/http/upstream_codec/v3/upstream_codec.proto',
  'envoy/extensions/clusters/dynamic_forward_proxy/v3/cluster.proto',
  'envoy/extensions/load_balancing_policies/round_robin/v3/round_robin.proto',
  'envoy/extensions/load_balancing_policies/least_request/v3/least_request.proto',
  'envoy/extensions/load_balancing_policies/ring_hash/v3/ring_hash.proto',
  'envoy/extensions/load_balancing_policies/maglev/v3/maglev.proto',
  'envoy/extensions/load_balancing_policies/random/v3/random.proto',
  'envoy/extensions/load_balancing_policies/wrr_locality/v3/wrr_locality.proto',
  'envoy/extensions/load_balancing_policies/client_side_weighted_round_robin/v3/client_side_weighted_round_robin.proto',
  'envoy/extensions/load_balancing_policies/pick_first/v3/pick_first.proto',
  'envoy/extensions/load_balancing_policies/cluster_provided/v3/cluster_provided.proto',
  'envoy/config/route/v3/route.proto',
  'envoy/config/route/v3/route_components.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/config/core/v3/health_check.proto',
  'envoy/config/cluster/v3/outlier_detection.proto',
  'envoy/config/cluster/v3/circuit_breaker.proto',
  'envoy/extensions/clusters/dns/v3/dns_cluster.proto',
  'envoy/extensions/filters/http/aws_request_signing/v3/aws_request_signing.proto',
  'envoy/extensions/common/aws/v3/credential_provider.proto',
  'envoy/extensions/http/header_formatters/preserve_case/v3/preserve_case.proto',
  'envoy/extensions/filters/http/dynamic_forward_proxy/v3/dynamic_forward_proxy.proto',
  'envoy/extensions/transport_sockets/tls/v3/secret.proto',
];
