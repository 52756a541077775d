import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { refusedAddress } from './address-safety';
import type { Diagnostic } from './diagnostics';

const CORE_PLUGIN = '@backendkit/core';

/**
 * The safety net behind every plugin (docs/security.md): after fragments are merged, endpoints with
 * a refused address are dealt with by where they come from.
 * - EDS assignments carry endpoints *discovered* at run time (EndpointSlices, EC2 instances): one bad
 *   endpoint must not take the others down, so it is dropped with a warning.
 * - A cluster's inline `loadAssignment` is *written* in the Backend: that is an error, and the
 *   Backend gets no cluster.
 * Both JSON objects are proto3 JSON as merged, and the assignment is changed in place.
 */
export function screenEndpoints(cluster: JsonObject, assignment: JsonObject | undefined): Array<Diagnostic & { plugin: string }> {
  const diagnostics: Array<Diagnostic & { plugin: string }> = [];
  const inline = cluster.loadAssignment;
  if (isObject(inline)) {
    forEachEndpoint(inline, (address, refusal) => {
      diagnostics.push({ severity: 'error', code: 'refused-address', plugin: CORE_PLUGIN, message: `endpoint ${address}: ${refusal}` });
      return true;
    });
  }
  if (assignment) {
    forEachEndpoint(assignment, (address, refusal) => {
      diagnostics.push({ severity: 'warning', code: 'refused-address', plugin: CORE_PLUGIN, message: `endpoint ${address} left out: ${refusal}` });
      return false;
    });
  }
  return diagnostics;
}

/**
 * Calls `refused` for each lbEndpoint with a refused address; those for which it returns false are
 * removed, and so is a locality left with no endpoint by that.
 */
function forEachEndpoint(assignment: JsonObject, refused: (address: string, message: string) => boolean): void {
  const localities = assignment.endpoints;
  if (!Array.isArray(localities)) return;
  const kept = localities.filter((locality) => {
    if (!isObject(locality) || !Array.isArray(locality.lbEndpoints)) return true;
    const before = locality.lbEndpoints.length;
    locality.lbEndpoints = locality.lbEndpoints.filter((lb) => {
      const problem = isObject(lb) && isObject(lb.endpoint) ? endpointProblem(lb.endpoint) : undefined;
      return problem === undefined || refused(problem.address, problem.message);
    });
    return before === 0 || locality.lbEndpoints.length > 0;
  });
  if (kept.length !== localities.length) assignment.endpoints = kept;
}

/** The first refused address an Endpoint would connect to: its address, extra addresses, health check address. */
function endpointProblem(endpoint: JsonObject): { address: string; message: string } | undefined {
  const addresses = [
    endpoint.address,
    ...(Array.isArray(endpoint.additionalAddresses) ? endpoint.additionalAddresses.map((a) => (isObject(a) ? a.address : undefined)) : []),
    isObject(endpoint.healthCheckConfig) ? endpoint.healthCheckConfig.address : undefined,
  ];
  for (const address of addresses) {
    if (!isObject(address)) continue;
    if (isObject(address.pipe)) {
      const path = String(address.pipe.path ?? '');
      return { address: `unix:${path}`, message: `a Unix socket is on the proxy's own host; refused unless the translator option allowLocalAddresses is set (CLI: --allow-local-addresses)` };
    }
    const socket = address.socketAddress;
    if (!isObject(socket) || typeof socket.address !== 'string') continue;
    const refusal = refusedAddress(socket.address);
    if (refusal) {
      const port = socket.portValue;
      const shown = socket.address.includes(':') ? `[${socket.address}]` : socket.address;
      return { address: typeof port === 'number' ? `${shown}:${port}` : socket.address, message: refusal.message };
    }
  }
  return undefined;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
