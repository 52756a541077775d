import { listener, route, typeUrl } from '@backendkit/xds-types';
import { ClusterLoadAssignmentSchema, ClusterSchema } from '@backendkit/core/envoy';

/** Type URLs of the xDS resources backendkit knows by name; any other type URL is served too. */
export const CLUSTER_TYPE = typeUrl(ClusterSchema);
export const ENDPOINT_TYPE = typeUrl(ClusterLoadAssignmentSchema);
export const LISTENER_TYPE = typeUrl(listener.ListenerSchema);
export const ROUTE_TYPE = typeUrl(route.RouteConfigurationSchema);
export const SECRET_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';

// The order Envoy warms resources in over one ADS stream (docs/xds-server.md): a cluster before the
// assignment it needs, listeners after clusters, routes after listeners. Unknown types go last.
const ORDER = [CLUSTER_TYPE, ENDPOINT_TYPE, LISTENER_TYPE, ROUTE_TYPE, SECRET_TYPE];

/** Sorts type URLs into the order in which a server pushes them. */
export function pushOrder(typeUrls: Iterable<string>): string[] {
  const rank = (t: string): number => (ORDER.includes(t) ? ORDER.indexOf(t) : ORDER.length);
  return [...typeUrls].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Types whose empty subscription means "everything" (wildcard) in xDS: clusters and listeners.
 * Assignments, routes and secrets are always asked for by name.
 */
export function isWildcardType(type: string): boolean {
  return type === CLUSTER_TYPE || type === LISTENER_TYPE;
}
