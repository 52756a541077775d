import { createRegistry } from '@bufbuild/protobuf';
import { file_envoy_config_cluster_v3_cluster } from './gen/envoy/config/cluster/v3/cluster_pb';
import { file_envoy_config_endpoint_v3_endpoint } from './gen/envoy/config/endpoint/v3/endpoint_pb';
import { file_envoy_config_endpoint_v3_endpoint_components } from './gen/envoy/config/endpoint/v3/endpoint_components_pb';
import { file_envoy_config_core_v3_base } from './gen/envoy/config/core/v3/base_pb';
import { file_envoy_config_core_v3_address } from './gen/envoy/config/core/v3/address_pb';
import { file_envoy_config_core_v3_config_source } from './gen/envoy/config/core/v3/config_source_pb';
import { file_envoy_config_core_v3_protocol } from './gen/envoy/config/core/v3/protocol_pb';
import { file_envoy_extensions_transport_sockets_tls_v3_tls } from './gen/envoy/extensions/transport_sockets/tls/v3/tls_pb';
import { file_envoy_extensions_transport_sockets_tls_v3_common } from './gen/envoy/extensions/transport_sockets/tls/v3/common_pb';
import { file_envoy_extensions_transport_sockets_raw_buffer_v3_raw_buffer } from './gen/envoy/extensions/transport_sockets/raw_buffer/v3/raw_buffer_pb';
import { file_envoy_extensions_transport_sockets_proxy_protocol_v3_upstream_proxy_protocol } from './gen/envoy/extensions/transport_sockets/proxy_protocol/v3/upstream_proxy_protocol_pb';
import { file_envoy_extensions_upstreams_http_v3_http_protocol_options } from './gen/envoy/extensions/upstreams/http/v3/http_protocol_options_pb';
import { file_envoy_extensions_filters_http_aws_lambda_v3_aws_lambda } from './gen/envoy/extensions/filters/http/aws_lambda/v3/aws_lambda_pb';
import { file_envoy_extensions_filters_http_upstream_codec_v3_upstream_codec } from './gen/envoy/extensions/filters/http/upstream_codec/v3/upstream_codec_pb';
import { file_envoy_extensions_clusters_dynamic_forward_proxy_v3_cluster } from './gen/envoy/extensions/clusters/dynamic_forward_proxy/v3/cluster_pb';
import { file_envoy_extensions_load_balancing_policies_round_robin_v3_round_robin } from './gen/envoy/extensions/load_balancing_policies/round_robin/v3/round_robin_pb';
import { file_envoy_extensions_load_balancing_policies_least_request_v3_least_request } from './gen/envoy/extensions/load_balancing_policies/least_request/v3/least_request_pb';
import { file_envoy_extensions_load_balancing_policies_ring_hash_v3_ring_hash } from './gen/envoy/extensions/load_balancing_policies/ring_hash/v3/ring_hash_pb';
import { file_envoy_extensions_load_balancing_policies_maglev_v3_maglev } from './gen/envoy/extensions/load_balancing_policies/maglev/v3/maglev_pb';
import { file_envoy_extensions_load_balancing_policies_random_v3_random } from './gen/envoy/extensions/load_balancing_policies/random/v3/random_pb';
import { file_envoy_extensions_load_balancing_policies_wrr_locality_v3_wrr_locality } from './gen/envoy/extensions/load_balancing_policies/wrr_locality/v3/wrr_locality_pb';
import { file_envoy_extensions_load_balancing_policies_client_side_weighted_round_robin_v3_client_side_weighted_round_robin } from './gen/envoy/extensions/load_balancing_policies/client_side_weighted_round_robin/v3/client_side_weighted_round_robin_pb';
import { file_envoy_extensions_load_balancing_policies_pick_first_v3_pick_first } from './gen/envoy/extensions/load_balancing_policies/pick_first/v3/pick_first_pb';
import { file_envoy_extensions_load_balancing_policies_cluster_provided_v3_cluster_provided } from './gen/envoy/extensions/load_balancing_policies/cluster_provided/v3/cluster_provided_pb';
import { file_envoy_config_route_v3_route } from './gen/envoy/config/route/v3/route_pb';
import { file_envoy_config_route_v3_route_components } from './gen/envoy/config/route/v3/route_components_pb';
import { file_envoy_extensions_filters_network_http_connection_manager_v3_http_connection_manager } from './gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb';
import { file_envoy_config_core_v3_health_check } from './gen/envoy/config/core/v3/health_check_pb';
import { file_envoy_config_cluster_v3_outlier_detection } from './gen/envoy/config/cluster/v3/outlier_detection_pb';
import { file_envoy_config_cluster_v3_circuit_breaker } from './gen/envoy/config/cluster/v3/circuit_breaker_pb';
import { file_envoy_extensions_clusters_dns_v3_dns_cluster } from './gen/envoy/extensions/clusters/dns/v3/dns_cluster_pb';
import { file_envoy_extensions_filters_http_aws_request_signing_v3_aws_request_signing } from './gen/envoy/extensions/filters/http/aws_request_signing/v3/aws_request_signing_pb';
import { file_envoy_extensions_common_aws_v3_credential_provider } from './gen/envoy/extensions/common/aws/v3/credential_provider_pb';
import { file_envoy_extensions_http_header_formatters_preserve_case_v3_preserve_case } from './gen/envoy/extensions/http/header_formatters/preserve_case/v3/preserve_case_pb';
import { file_envoy_extensions_filters_http_dynamic_forward_proxy_v3_dynamic_forward_proxy } from './gen/envoy/extensions/filters/http/dynamic_forward_proxy/v3/dynamic_forward_proxy_pb';
import { file_envoy_extensions_transport_sockets_tls_v3_secret } from './gen/envoy/extensions/transport_sockets/tls/v3/secret_pb';
import { withDependencies } from './dependencies';

/**
 * The files of the cluster side (`./clusters`) and everything they import: what a `Cluster` or a
 * `ClusterLoadAssignment` and the extensions in their `Any` fields resolve against. An `Any` naming a
 * type outside it (a `Listener`, a `Bootstrap`, a discovery message) is unknown here, as it is to
 * Envoy in a cluster; `registry` (the package root) has every file.
 */
export const clusterRegistry = createRegistry(
  ...withDependencies([
    file_envoy_config_cluster_v3_cluster,
    file_envoy_config_endpoint_v3_endpoint,
    file_envoy_config_endpoint_v3_endpoint_components,
    file_envoy_config_core_v3_base,
    file_envoy_config_core_v3_address,
    file_envoy_config_core_v3_config_source,
    file_envoy_config_core_v3_protocol,
    file_envoy_extensions_transport_sockets_tls_v3_tls,
    file_envoy_extensions_transport_sockets_tls_v3_common,
    file_envoy_extensions_transport_sockets_raw_buffer_v3_raw_buffer,
    file_envoy_extensions_transport_sockets_proxy_protocol_v3_upstream_proxy_protocol,
    file_envoy_extensions_upstreams_http_v3_http_protocol_options,
    file_envoy_extensions_filters_http_aws_lambda_v3_aws_lambda,
    file_envoy_extensions_filters_http_upstream_codec_v3_upstream_codec,
    file_envoy_extensions_clusters_dynamic_forward_proxy_v3_cluster,
    file_envoy_extensions_load_balancing_policies_round_robin_v3_round_robin,
    file_envoy_extensions_load_balancing_policies_least_request_v3_least_request,
    file_envoy_extensions_load_balancing_policies_ring_hash_v3_ring_hash,
    file_envoy_extensions_load_balancing_policies_maglev_v3_maglev,
    file_envoy_extensions_load_balancing_policies_random_v3_random,
    file_envoy_extensions_load_balancing_policies_wrr_locality_v3_wrr_locality,
    file_envoy_extensions_load_balancing_policies_client_side_weighted_round_robin_v3_client_side_weighted_round_robin,
    file_envoy_extensions_load_balancing_policies_pick_first_v3_pick_first,
    file_envoy_extensions_load_balancing_policies_cluster_provided_v3_cluster_provided,
    file_envoy_config_route_v3_route,
    file_envoy_config_route_v3_route_components,
    file_envoy_extensions_filters_network_http_connection_manager_v3_http_connection_manager,
    file_envoy_config_core_v3_health_check,
    file_envoy_config_cluster_v3_outlier_detection,
    file_envoy_config_cluster_v3_circuit_breaker,
    file_envoy_extensions_clusters_dns_v3_dns_cluster,
    file_envoy_extensions_filters_http_aws_request_signing_v3_aws_request_signing,
    file_envoy_extensions_common_aws_v3_credential_provider,
    file_envoy_extensions_http_header_formatters_preserve_case_v3_preserve_case,
    file_envoy_extensions_filters_http_dynamic_forward_proxy_v3_dynamic_forward_proxy,
    file_envoy_extensions_transport_sockets_tls_v3_secret,
  ]),
);
