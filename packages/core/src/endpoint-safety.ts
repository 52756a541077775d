import type { address as addressPb, endpoint, endpointComponents } from '@backendkit/xds-types';
import { refusedAddress } from './address-safety';
import type { Diagnostic } from './diagnostics';
import type { EnvoyAssignment, EnvoyCluster } from './envoy';
import { CORE_PLUGIN } from './names';

const HOW_TO_ALLOW = 'refused unless the translator option allowLocalAddresses is set (CLI: --allow-local-addresses)';

type CoreDiagnostic = Diagnostic & { plugin: string };

/**
 * The safety net behind every plugin (docs/security.md): once a cluster is composed, endpoints with
 * a refused address are dealt with by where they come from.
 * - EDS assignments carry endpoints *discovered* at run time (by a plugin's endpoint source): one bad
 *   endpoint must not take the others down, so it is dropped with a warning (the assignment is
 *   changed in place; a locality left with no endpoint goes too).
 * - A cluster's inline `loadAssignment` is *written* in the Backend: that is an error, and the
 *   Backend gets no cluster.
 */
export function screenEndpoints(cluster: EnvoyCluster, assignment: EnvoyAssignment | undefined): CoreDiagnostic[] {
  const diagnostics: CoreDiagnostic[] = [];
  if (cluster.loadAssignment) {
    screen(cluster.loadAssignment, (address, message) => {
      diagnostics.push({ severity: 'error', code: 'refused-address', plugin: CORE_PLUGIN, message: `endpoint ${address}: ${message}` });
      return true;
    });
  }
  if (assignment) {
    screen(assignment, (address, message) => {
      diagnostics.push({ severity: 'warning', code: 'refused-address', plugin: CORE_PLUGIN, message: `endpoint ${address} left out: ${message}` });
      return false;
    });
  }
  return diagnostics;
}

/**
 * Calls `refused` for each endpoint with a refused address; those for which it returns false are
 * removed. The assignment is canonical proto3 JSON (`checkStrict`), so an emptied list is removed
 * as `toJson` would leave it out.
 */
function screen(assignment: endpoint.ClusterLoadAssignmentJson, refused: (address: string, message: string) => boolean): void {
  const emptied = new Set<endpointComponents.LocalityLbEndpointsJson>();
  for (const locality of assignment.endpoints ?? []) {
    const lbEndpoints = locality.lbEndpoints ?? [];
    if (lbEndpoints.length === 0) continue;
    const kept = lbEndpoints.filter((lb) => {
      const problem = lb.endpoint ? endpointProblem(lb.endpoint) : undefined;
      return problem === undefined || refused(problem.address, problem.message);
    });
    if (kept.length === lbEndpoints.length) continue;
    if (kept.length > 0) locality.lbEndpoints = kept;
    else delete locality.lbEndpoints;
    if (kept.length === 0) emptied.add(locality);
  }
  // Localities emptied here go; one that came empty stays as its plugin made it.
  if (emptied.size > 0) {
    const left = (assignment.endpoints ?? []).filter((l) => !emptied.has(l));
    if (left.length > 0) assignment.endpoints = left;
    else delete assignment.endpoints;
  }
}

/** The first refused address an Endpoint would connect to: its address, extra addresses, health check address. */
function endpointProblem(endpoint: endpointComponents.EndpointJson): { address: string; message: string } | undefined {
  const addresses = [endpoint.address, ...(endpoint.additionalAddresses ?? []).map((a) => a.address), endpoint.healthCheckConfig?.address];
  for (const address of addresses) {
    const problem = address && addressProblem(address);
    if (problem) return problem;
  }
  return undefined;
}

function addressProblem(address: addressPb.AddressJson): { address: string; message: string } | undefined {
  if (address.pipe) return { address: `unix:${address.pipe.path ?? ''}`, message: `a Unix socket is on the proxy's own host; ${HOW_TO_ALLOW}` };
  const socket = address.socketAddress;
  if (!socket) return undefined;
  const host = socket.address ?? '';
  const refusal = refusedAddress(host);
  if (!refusal) return undefined;
  const shown = host.includes(':') ? `[${host}]` : host;
  const port = socket.portValue !== undefined ? `:${socket.portValue}` : '';
  return { address: `${shown}${port}`, message: refusal.message };
}
