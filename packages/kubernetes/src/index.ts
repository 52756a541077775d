export { kubernetesPlugin } from './plugin';
export { KUBERNETES_KINDS, serviceClusterName, serviceRefKind } from './refs';
export { kubernetesSchema, serviceSchema, endpointSliceSchema } from './schema';
export type { KubernetesSpec } from './schema';
export { ENDPOINT_SOURCE, SERVICE_NAME_LABEL, resourceEndpointSource } from './source';
export type { EndpointSource } from './source';
export { backendName, discoverBackends, DISCOVERED_API_VERSION } from './discovery';
export type { DiscoverOptions, DiscoveredBackend, DiscoveryResult } from './discovery';
export { edsCluster } from '@backendkit/core/helpers';
