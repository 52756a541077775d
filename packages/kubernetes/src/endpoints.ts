import { isIP } from 'node:net';
import {
  compareStrings,
  isPlainObject,
  issuesToDiagnostics,
  sourceOf,
  type ClusterLoadAssignmentJson,
  type Diagnostic,
  type KubeObject,
  type ResourceRef,
} from '@backendkit/core';
import { compareAddresses } from '@backendkit/core';
import { endpointSliceSchema, type EndpointSliceSpec } from './schema';
import { PLUGIN_NAME, type ServicePort } from './service';

interface SliceEndpoint {
  address: string;
  ready: boolean;
  zone: string;
}

export interface Slice {
  name: string;
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
  if (!isPlainObject(object)) return { diagnostics: [sliceWarning(object, 'invalid-endpointslice', 'an EndpointSlice must be an object: skipped')] };
  const parsed = endpointSliceSchema.safeParse(object);
  if (!parsed.success) {
    const diagnostics = issuesToDiagnostics(parsed.error, '', PLUGIN_NAME, object).map((d) =>
      sliceWarning(object, d.code, `${d.message} (EndpointSlice skipped)`, d.path),
    );
    return { diagnostics };
  }
  const spec: EndpointSliceSpec = parsed.data;
  if (spec.addressType === 'FQDN') {
    const message = 'FQDN EndpointSlices are not supported (Envoy EDS endpoints must be IP addresses): skipped';
    return { diagnostics: [sliceWarning(object, 'unsupported-address-type', message, 'addressType')] };
  }
  const family = spec.addressType === 'IPv4' ? 4 : 6;
  const diagnostics: Diagnostic[] = [];
  (spec.endpoints ?? []).forEach((e, i) =>
    e.addresses.forEach((address, j) => {
      if (isIP(address) !== family) {
        const message = `must be an ${spec.addressType} address, as the slice's addressType says (EndpointSlice skipped)`;
        diagnostics.push(sliceWarning(object, 'invalid-field', message, `endpoints[${i}].addresses[${j}]`));
      }
    }),
  );
  if (diagnostics.length > 0) return { diagnostics };
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  return {
    diagnostics,
    slice: {
      name: typeof metadata.name === 'string' ? metadata.name : '',
      ports: (spec.ports ?? []).map((p) => ({ name: p.name ?? '', ...(p.port != null ? { port: p.port } : {}) })),
      endpoints: (spec.endpoints ?? []).map((e) => ({
        // Kubernetes calls the addresses of one endpoint fungible and lets clients use only the first.
        address: e.addresses[0]!,
        ready: e.conditions?.ready !== false,
        zone: e.zone ?? '',
      })),
    },
  };
}

function sliceWarning(object: unknown, code: string, message: string, path?: string): Diagnostic {
  const diagnostic: Diagnostic = { severity: 'warning', code, plugin: PLUGIN_NAME, message, ...(path ? { path } : {}) };
  const ref = sliceRef(object);
  if (ref) diagnostic.resource = ref;
  const kube = object as KubeObject;
  if (isPlainObject(object) && kube.source) {
    diagnostic.source = sourceOf(kube, path)!;
  }
  return diagnostic;
}

function sliceRef(object: unknown): ResourceRef | undefined {
  if (!isPlainObject(object) || !isPlainObject(object.metadata) || typeof object.metadata.name !== 'string') return undefined;
  const namespace = typeof object.metadata.namespace === 'string' ? object.metadata.namespace : 'default';
  return { kind: 'EndpointSlice', namespace, name: object.metadata.name };
}

/** The slice port that carries a Service port (SPEC §3.3), or undefined when the slice has none. */
function slicePort(slice: Slice, port: ServicePort, servicePortCount: number): number | undefined {
  if (servicePortCount === 1 && slice.ports.length === 1) return slice.ports[0]!.port;
  return slice.ports.find((p) => p.name === port.name)?.port;
}

/**
 * SPEC §3.3: the endpoints of one Service port from its slices: ready ones only, one locality per
 * zone (weight 1), localities by zone, endpoints by address. No endpoints is an empty assignment.
 */
export function buildAssignment(slices: readonly Slice[], port: ServicePort, servicePortCount: number): ClusterLoadAssignmentJson {
  const zones = new Map<string, Map<string, { address: string; port: number }>>();
  const seen = new Set<string>();
  // Slices by name, so that an endpoint listed twice (it happens while slices are rebalanced)
  // lands in the same locality every time.
  for (const slice of [...slices].sort((a, b) => compareStrings(a.name, b.name))) {
    const target = slicePort(slice, port, servicePortCount);
    if (target === undefined) continue;
    for (const endpoint of slice.endpoints) {
      const key = `${endpoint.address} ${target}`;
      if (!endpoint.ready || seen.has(key)) continue;
      seen.add(key);
      const zone = zones.get(endpoint.zone) ?? new Map();
      zone.set(key, { address: endpoint.address, port: target });
      zones.set(endpoint.zone, zone);
    }
  }
  // EndpointSlices carry no region, so "region then zone" is zone order; '' (no zone) sorts first.
  const endpoints = [...zones.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([zone, members]) => ({
      locality: zone === '' ? {} : { zone },
      lbEndpoints: [...members.values()]
        .sort((a, b) => compareAddresses(a.address, b.address) || a.port - b.port)
        .map(({ address, port: portValue }) => ({ endpoint: { address: { socketAddress: { address, portValue } } } })),
      loadBalancingWeight: 1,
    }));
  return { endpoints };
}
