import { isIP } from 'node:net';
import type { ClusterLoadAssignmentJson, Diagnostic, KubeObject, ResourceRef } from '@backendkit/core';
import { compareAddresses, compareStrings, isPlainObject, issuesToDiagnostics, quadValue, sourceOf } from '@backendkit/core/helpers';
import { endpointSliceSchema, type EndpointSliceSpec } from './schema';
import { localityJson, type EndpointPlace, type Locality } from './locality';
import { PLUGIN_NAME, type ServicePort } from './service';
import { wellFormedSlice } from './well-formed';

interface SliceEndpoint {
  /** Every address: as in kgateway, each is a host of its own (docs/kubernetes.md). */
  addresses: readonly string[];
  ready: boolean;
  place: EndpointPlace;
}

export interface Slice {
  name: string;
  namespace: string;
  ports: ReadonlyArray<{ name: string; port?: number }>;
  endpoints: readonly SliceEndpoint[];
}

export interface ReadSlice {
  /** Absent when the slice is skipped (malformed, or addresses Envoy cannot use). */
  slice?: Slice;
  /** Warnings: a bad slice is left out, the rest of the Service still works. */
  diagnostics: Diagnostic[];
}

/** Validates one EndpointSlice as a source returned it. */
export function readSlice(object: unknown): ReadSlice {
  return readSliceWith(object, wellFormedSlice);
}

/**
 * `readSlice` with the quick check given (tests pass one that always says "cannot tell", so that
 * the schema reads every slice): the schema reads only what the check cannot vouch for.
 */
export function readSliceWith(object: unknown, quick: (object: unknown) => EndpointSliceSpec | undefined): ReadSlice {
  if (!isPlainObject(object)) return { diagnostics: [sliceWarning(object, 'invalid-endpointslice', 'an EndpointSlice must be an object: skipped')] };
  let spec = quick(object);
  if (!spec) {
    const parsed = endpointSliceSchema.safeParse(object);
    if (!parsed.success) {
      const diagnostics = issuesToDiagnostics(parsed.error, '', PLUGIN_NAME, object).map((d) =>
        sliceWarning(object, d.code, `${d.message} (EndpointSlice skipped)`, d.path),
      );
      return { diagnostics };
    }
    spec = parsed.data;
  }
  if (spec.addressType === 'FQDN') {
    const message = 'FQDN EndpointSlices are not supported (Envoy EDS endpoints must be IP addresses): skipped';
    return { diagnostics: [sliceWarning(object, 'unsupported-address-type', message, 'addressType')] };
  }
  const ipv4 = spec.addressType === 'IPv4';
  const diagnostics: Diagnostic[] = [];
  const endpoints = spec.endpoints ?? [];
  for (let i = 0; i < endpoints.length; i++) {
    const addresses = endpoints[i]!.addresses;
    for (let j = 0; j < addresses.length; j++) {
      // A dotted quad as `isIP` reads it is read without its regular expression (`quadValue`).
      const address = addresses[j]!;
      if (ipv4 ? quadValue(address) < 0 : isIP(address) !== 6) {
        const message = `must be an ${spec.addressType} address, as the slice's addressType says (EndpointSlice skipped)`;
        diagnostics.push(sliceWarning(object, 'invalid-field', message, `endpoints[${i}].addresses[${j}]`));
      }
    }
  }
  if (diagnostics.length > 0) return { diagnostics };
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default';
  return {
    diagnostics,
    slice: {
      name: typeof metadata.name === 'string' ? metadata.name : '',
      namespace,
      // No spread for the optional port: V8 copies `{ ...a, ...b }` through a slow path.
      ports: (spec.ports ?? []).map((p) => (p.port != null ? { name: p.name ?? '', port: p.port } : { name: p.name ?? '' })),
      endpoints: endpoints.map((e) => ({
        // A copy, as the schema's output was: a host's source may hand over objects it changes later.
        addresses: [...e.addresses],
        ready: e.conditions?.ready !== false,
        place: placeOf(e, namespace),
      })),
    },
  };
}

function placeOf(endpoint: NonNullable<EndpointSliceSpec['endpoints']>[number], sliceNamespace: string): EndpointPlace {
  const ref = endpoint.targetRef;
  const zone = endpoint.zone ?? '';
  // A targetRef without a namespace means the slice's own.
  if (ref?.kind !== 'Pod' || !ref.name) return { zone };
  return { zone, pod: { namespace: ref.namespace || sliceNamespace, name: ref.name } };
}

function sliceWarning(object: unknown, code: string, message: string, path?: string): Diagnostic {
  const diagnostic: Diagnostic = { severity: 'warning', code, plugin: PLUGIN_NAME, message, ...(path ? { path } : {}) };
  const ref = sliceRef(object);
  if (ref) diagnostic.resource = ref;
  const source = isPlainObject(object) ? sourceOf(object as KubeObject, path) : undefined;
  if (source) diagnostic.source = source;
  return diagnostic;
}

function sliceRef(object: unknown): ResourceRef | undefined {
  if (!isPlainObject(object) || !isPlainObject(object.metadata) || typeof object.metadata.name !== 'string') return undefined;
  const namespace = typeof object.metadata.namespace === 'string' ? object.metadata.namespace : 'default';
  return { kind: 'EndpointSlice', namespace, name: object.metadata.name };
}

/**
 * The slice port that carries a Service port (docs/kubernetes.md "Port"), or undefined when the slice
 * has none. A single-port Service takes a single-port slice's port whatever its name.
 */
function slicePort(slice: Slice, port: ServicePort, servicePortCount: number): number | undefined {
  if (servicePortCount === 1 && slice.ports.length === 1) return slice.ports[0]!.port;
  return slice.ports.find((p) => p.port !== undefined && portMatches(p, port))?.port;
}

function portMatches(candidate: { name: string; port?: number }, port: ServicePort): boolean {
  if (candidate.name !== '') return candidate.name === port.name || candidate.name === port.targetPort;
  // An unnamed slice port carries a number: the Service's numeric targetPort, else (no targetPort)
  // its port. A named targetPort says nothing about numbers.
  if (typeof port.targetPort === 'string') return false;
  return candidate.port === (port.targetPort ?? port.port);
}

/**
 * A warning when a Service port has slices but none of them carries it (the Service's ports and its
 * slices disagree, for instance while a port is renamed): its cluster then has no endpoints.
 */
export function unmatchedPort(slices: readonly Slice[], port: ServicePort, servicePortCount: number, service: string): Diagnostic | undefined {
  if (slices.length === 0 || slices.some((s) => slicePort(s, port, servicePortCount) !== undefined)) return undefined;
  const wanted = [
    port.name !== '' ? `name "${port.name}"` : '',
    port.targetPort !== undefined ? `targetPort ${JSON.stringify(port.targetPort)}` : `port ${port.port}`,
  ]
    .filter((w) => w !== '')
    .join(', ');
  const found = [...slices]
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((s) => `slice ${s.name} has ${s.ports.length === 0 ? 'no ports' : `ports ${s.ports.map(describePort).join(', ')}`}`)
    .join('; ');
  return {
    severity: 'warning',
    code: 'no-matching-slice-port',
    plugin: PLUGIN_NAME,
    path: `spec.ports[${port.index}]`,
    message: `no EndpointSlice of Service ${service} has a port matching spec.ports[${port.index}] (${wanted}), so its cluster has no endpoints: ${found}`,
  };
}

function describePort(p: { name: string; port?: number }): string {
  const number = p.port === undefined ? 'any port' : String(p.port);
  return p.name === '' ? `unnamed ${number}` : `"${p.name}" ${number}`;
}

/**
 * docs/kubernetes.md: the endpoints of one Service port from its slices: ready ones only, one locality per
 * region/zone/subZone (from `locate`), each weighing its endpoint count,
 * localities sorted by region, zone and subZone, endpoints by address. No endpoints is an empty assignment.
 */
export function buildAssignment(
  slices: readonly Slice[],
  port: ServicePort,
  servicePortCount: number,
  locate: (place: EndpointPlace) => Locality,
): ClusterLoadAssignmentJson {
  const localities = new Map<string, { locality: Locality; members: Array<{ address: string; port: number }> }>();
  const seen = new Set<string>();
  // Slices by name, so that an endpoint listed twice (it happens while slices are rebalanced)
  // lands in the same locality every time.
  for (const slice of slices.length > 1 ? [...slices].sort((a, b) => compareStrings(a.name, b.name)) : slices) {
    const target = slicePort(slice, port, servicePortCount);
    if (target === undefined) continue;
    for (const endpoint of slice.endpoints) {
      if (!endpoint.ready) continue;
      // An address is one host, whichever slice or endpoint lists it first (kgateway keeps the first
      // too); the endpoint's locality is looked up once it has an address not seen before.
      let group: { locality: Locality; members: Array<{ address: string; port: number }> } | undefined;
      for (const address of endpoint.addresses) {
        if (seen.has(address)) continue;
        seen.add(address);
        if (!group) {
          const locality = locate(endpoint.place);
          const id = `${locality.region}\0${locality.zone}\0${locality.subZone}`;
          group = localities.get(id);
          if (!group) {
            group = { locality, members: [] };
            localities.set(id, group);
          }
        }
        group.members.push({ address, port: target });
      }
    }
  }
  // An endpoint without any locality sorts first.
  const groups = [...localities.values()];
  if (groups.length > 1) {
    sortFew(
      groups,
      (a, b) =>
        compareStrings(a.locality.region, b.locality.region) ||
        compareStrings(a.locality.zone, b.locality.zone) ||
        compareStrings(a.locality.subZone, b.locality.subZone),
    );
  }
  const endpoints = groups.map(({ locality, members }) => {
    const json = localityJson(locality);
    if (members.length > 1) sortFew(members, byAddress);
    const lbEndpoints = Object.freeze(members.map(({ address, port: portValue }) => frozenEndpoint(address, portValue)));
    // Each endpoint weighs 1, so a locality weighs its endpoint count (docs/kubernetes.md).
    const loadBalancingWeight = members.length;
    return Object.freeze(json ? { locality: Object.freeze(json), lbEndpoints, loadBalancingWeight } : { lbEndpoints, loadBalancingWeight });
  });
  // Frozen, in the order Envoy's schema gives the fields: core's strict check then keeps these
  // objects in the result by reference instead of copying them, and the memo, which keeps the
  // fragment of every Service port, shares them with the result (docs/performance.md, "What the
  // first translation keeps").
  return { endpoints: Object.freeze(endpoints) as ClusterLoadAssignmentJson['endpoints'] };
}

const byAddress = (a: { address: string; port: number }, b: { address: string; port: number }): number =>
  compareAddresses(a.address, b.address) || a.port - b.port;

/**
 * `list.sort(compare)` for the few items of one assignment (a locality's endpoints, a Service's
 * localities): an insertion sort, stable as `sort` is, so the same order; `sort` makes a work array
 * for every call, about a kilobyte each (docs/performance.md, "The translation's own work").
 */
function sortFew<T>(list: T[], compare: (a: T, b: T) => number): void {
  if (list.length > 16) {
    list.sort(compare);
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i;
    // Past the items that sort after it only: equal items keep their order.
    while (j > 0 && compare(list[j - 1]!, item) > 0) {
      list[j] = list[j - 1]!;
      j--;
    }
    list[j] = item;
  }
}

function frozenEndpoint(address: string, portValue: number) {
  const socketAddress = Object.freeze({ address, portValue });
  return Object.freeze({ endpoint: Object.freeze({ address: Object.freeze({ socketAddress }) }) });
}
