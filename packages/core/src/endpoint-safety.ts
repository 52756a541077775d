import type { address as addressPb, endpointComponents } from '@backendkit/xds-types';
import { refusedAddress } from './address-safety';
import type { Diagnostic } from './diagnostics';
import type { Cluster, ClusterLoadAssignment } from './envoy';
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
export function screenEndpoints(cluster: Cluster, assignment: ClusterLoadAssignment | undefined): CoreDiagnostic[] {
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

/** Calls `refused` for each endpoint with a refused address; those for which it returns false are removed. */
function screen(assignment: ClusterLoadAssignment, refused: (address: string, message: string) => boolean): void {
  const emptied = new Set<endpointComponents.LocalityLbEndpoints>();
  for (const locality of assignment.endpoints) {
    if (locality.lbEndpoints.length === 0) continue;
    const kept = locality.lbEndpoints.filter((lb) => {
      const problem = lb.hostIdentifier.case === 'endpoint' ? endpointProblem(lb.hostIdentifier.value) : undefined;
      return problem === undefined || refused(problem.address, problem.message);
    });
    if (kept.length === locality.lbEndpoints.length) continue;
    locality.lbEndpoints = kept;
    if (kept.length === 0) emptied.add(locality);
  }
  // Localities emptied here go; one that came empty stays as its plugin made it.
  if (emptied.size > 0) assignment.endpoints = assignment.endpoints.filter((l) => !emptied.has(l));
}

/** The first refused address an Endpoint would connect to: its address, extra addresses, health check address. */
function endpointProblem(endpoint: endpointComponents.Endpoint): { address: string; message: string } | undefined {
  const addresses = [endpoint.address, ...endpoint.additionalAddresses.map((a) => a.address), endpoint.healthCheckConfig?.address];
  for (const address of addresses) {
    const problem = address && addressProblem(address);
    if (problem) return problem;
  }
  return undefined;
}

function addressProblem(address: addressPb.Address): { address: string; message: string } | undefined {
  switch (address.address.case) {
    case 'pipe':
      return { address: `unix:${address.address.value.path}`, message: `a Unix socket is on the proxy's own host; ${HOW_TO_ALLOW}` };
    case 'socketAddress': {
      const socket = address.address.value;
      const refusal = refusedAddress(socket.address);
      if (!refusal) return undefined;
      const host = socket.address.includes(':') ? `[${socket.address}]` : socket.address;
      const port = socket.portSpecifier.case === 'portValue' ? `:${socket.portSpecifier.value}` : '';
      return { address: `${host}${port}`, message: refusal.message };
    }
    default:
      return undefined;
  }
}
