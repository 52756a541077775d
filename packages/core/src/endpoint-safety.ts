import type { address as addressPb, endpoint, endpointComponents } from '@backendkit/xds-types';
import { refusedAddress } from './address-safety';
import type { Diagnostic } from './diagnostics';
import type { EnvoyAssignment, EnvoyCluster } from './envoy';
import { CORE_PLUGIN } from './names';
import { isVouched } from './strict-json';

const HOW_TO_ALLOW = 'refused unless the translator option allowLocalAddresses is set (CLI: --allow-local-addresses)';

type CoreDiagnostic = Diagnostic & { plugin: string };

/** The plugins' `Fragment.origins`, in contribution order: a fragment path → a path into the resource. */
export type Origins = ReadonlyArray<Readonly<Record<string, string>> | undefined>;

/**
 * The safety net behind every plugin (docs/security.md): once a cluster is composed, endpoints with
 * a refused address are dealt with by where they come from.
 * - EDS assignments carry endpoints *discovered* at run time (by a plugin's endpoint source): one bad
 *   endpoint must not take the others down, so it is dropped with a warning (the assignment is
 *   changed in place; a locality left with no endpoint goes too).
 * - A cluster's inline `loadAssignment` is *written* in the Backend: that is an error, and the
 *   Backend gets no cluster.
 * A diagnostic's path is the input field the plugin named for the address in `origins`
 * (docs/plugins.md, "Saying where an endpoint came from"). Without one, an error names the address's
 * place in the cluster instead; a warning names only the address, which came from elsewhere.
 */
export function screenEndpoints(cluster: EnvoyCluster, assignment: EnvoyAssignment | undefined, origins: Origins = []): CoreDiagnostic[] {
  const diagnostics: CoreDiagnostic[] = [];
  // Nearly every cluster: nothing refused, so no lookup of origins and no closures are made.
  if (endpointsServed(cluster, assignment)) return diagnostics;
  const originOf = originLookup(origins);
  if (cluster.loadAssignment) {
    screen(cluster.loadAssignment, 'cluster.loadAssignment', (problem) => {
      const path = originOf(problem.at);
      const where = path === undefined ? ` at ${problem.at}` : '';
      diagnostics.push({
        severity: 'error',
        code: 'refused-address',
        plugin: CORE_PLUGIN,
        message: `endpoint ${problem.address}${where}: ${problem.message}`,
        ...(path === undefined ? {} : { path }),
      });
      return true;
    });
  }
  if (assignment) {
    screen(assignment, 'assignment', (problem) => {
      const path = originOf(problem.at);
      diagnostics.push({
        severity: 'warning',
        code: 'refused-address',
        plugin: CORE_PLUGIN,
        message: `endpoint ${problem.address} left out: ${problem.message}`,
        ...(path === undefined ? {} : { path }),
      });
      return false;
    });
  }
  return diagnostics;
}

/**
 * Whether `screenEndpoints` would find nothing to refuse: the usual case, answered without lists or
 * closures, so that a caller lists the plugins' origins only when there is something to report.
 */
export function endpointsServed(cluster: EnvoyCluster, assignment: EnvoyAssignment | undefined): boolean {
  return (!cluster.loadAssignment || allServed(cluster.loadAssignment.endpoints ?? NONE)) && (!assignment || allServed(assignment.endpoints ?? NONE));
}

/**
 * The resource path for a fragment path: the origin of the path itself or of its nearest ancestor.
 * Keys may use either proto3 JSON spelling (`load_assignment` or `loadAssignment`).
 */
function originLookup(origins: Origins): (at: string) => string | undefined {
  const known = new Map<string, string>();
  for (const map of origins) {
    for (const [key, path] of Object.entries(map ?? {})) {
      const normal = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      // The first plugin to name a place keeps it (a list belongs to one plugin: docs/plugins.md).
      if (!known.has(normal) && typeof path === 'string') known.set(normal, path);
    }
  }
  return (at) => {
    for (let path: string | undefined = at; path && known.size > 0; path = parentPath(path)) {
      const origin = known.get(path);
      if (origin !== undefined) return origin;
    }
    return undefined;
  };
}

/** `a.b[0].c` → `a.b[0]` → `a.b` → `a` → undefined. */
function parentPath(path: string): string | undefined {
  const last = /(\.[^.[\]]+|\[\d+\])$/.exec(path);
  return last ? path.slice(0, last.index) : undefined;
}

interface Problem {
  address: string;
  message: string;
  /** The refused address's fragment path: `cluster.loadAssignment.endpoints[0].lbEndpoints[1].endpoint.address`. */
  at: string;
}

/**
 * Calls `refused` for each endpoint with a refused address; those for which it returns false are
 * removed. The assignment is canonical proto3 JSON (`checkStrict`), so an emptied list is removed
 * as `toJson` would leave it out.
 */
function screen(assignment: endpoint.ClusterLoadAssignmentJson, root: string, refused: (problem: Problem) => boolean): void {
  const localities = assignment.endpoints ?? [];
  if (allServed(localities)) return;
  const left: endpointComponents.LocalityLbEndpointsJson[] = [];
  let trimmed = false;
  localities.forEach((locality, l) => {
    const lbEndpoints = locality.lbEndpoints ?? [];
    const kept = lbEndpoints.filter((lb, e) => {
      const problem = lb.endpoint ? endpointProblem(lb.endpoint, root, l, e) : undefined;
      return problem === undefined || refused(problem);
    });
    if (kept.length === lbEndpoints.length) {
      // One that came empty stays as its plugin made it.
      left.push(locality);
      return;
    }
    trimmed = true;
    // A new locality, never a change to this one: the strict check may have kept a plugin's
    // frozen object by reference (docs/performance.md, "What the first translation keeps").
    // A locality emptied here goes.
    if (kept.length > 0) left.push({ ...locality, lbEndpoints: kept });
  });
  if (!trimmed) return;
  // The assignment itself is the strict check's own object, made for this cluster.
  if (left.length > 0) assignment.endpoints = left;
  else delete assignment.endpoints;
}

/**
 * Lists the strict check kept as they are (frozen all through: `isVouched`) and found to hold no
 * refused address: a list several clusters share is read once (docs/performance.md, "The
 * translation's own work").
 */
const served = new WeakSet<object>();
const NONE: readonly endpointComponents.LocalityLbEndpointsJson[] = [];

/** Whether no endpoint has a refused address: the usual case, answered without lists or closures. */
function allServed(localities: readonly endpointComponents.LocalityLbEndpointsJson[]): boolean {
  if (served.has(localities)) return true;
  for (const locality of localities) {
    for (const lb of locality.lbEndpoints ?? []) {
      const endpoint = lb.endpoint;
      if (endpoint && refusedIn(endpoint)) return false;
    }
  }
  if (isVouched(localities)) served.add(localities);
  return true;
}

/** Whether `endpointProblem` would find a problem. */
function refusedIn(endpoint: endpointComponents.EndpointJson): boolean {
  if (endpoint.address && addressProblem(endpoint.address)) return true;
  const additional = endpoint.additionalAddresses;
  if (additional) for (const { address } of additional) if (address && addressProblem(address)) return true;
  const health = endpoint.healthCheckConfig?.address;
  return health !== undefined && addressProblem(health) !== undefined;
}

/**
 * The first refused address an Endpoint would connect to: its address, extra addresses, health
 * check address. Every endpoint of every cluster comes here, and nearly all are fine: the path is
 * built only for a refused one.
 */
function endpointProblem(endpoint: endpointComponents.EndpointJson, root: string, l: number, e: number): Problem | undefined {
  const main = endpoint.address && addressProblem(endpoint.address);
  if (main) return { ...main, at: `${endpointPath(root, l, e)}.address` };
  const additional = endpoint.additionalAddresses ?? [];
  for (let i = 0; i < additional.length; i++) {
    const address = additional[i]!.address;
    const problem = address && addressProblem(address);
    if (problem) return { ...problem, at: `${endpointPath(root, l, e)}.additionalAddresses[${i}].address` };
  }
  const health = endpoint.healthCheckConfig?.address;
  const problem = health && addressProblem(health);
  return problem ? { ...problem, at: `${endpointPath(root, l, e)}.healthCheckConfig.address` } : undefined;
}

function endpointPath(root: string, l: number, e: number): string {
  return `${root}.endpoints[${l}].lbEndpoints[${e}].endpoint`;
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
