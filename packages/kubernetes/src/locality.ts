import type { ResourceReader } from '@backendkit/core';
import { isPlainObject } from '@backendkit/core/helpers';

/** The Node labels a locality is read from (the well-known Kubernetes and Istio topology labels). */
export const REGION_LABEL = 'topology.kubernetes.io/region';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const SUBZONE_LABEL = 'topology.istio.io/subzone';

/** An Envoy locality; `''` is an absent field. */
export interface Locality {
  region: string;
  zone: string;
  subZone: string;
}

/** Where one slice endpoint runs, as the slice says it. */
export interface EndpointPlace {
  /** `targetRef` when it names a Pod. */
  pod?: { namespace: string; name: string };
  /** The slice endpoint's own `zone`, `''` when it has none. */
  zone: string;
}

/** Where Pods and Nodes are looked up: the translation's objects, or a host's `EndpointSource`. */
export interface TopologyLookup {
  pod(namespace: string, name: string): unknown;
  node(name: string): unknown;
}

/** Pods and Nodes among the translation's objects. */
export function resourceTopology(resources: ResourceReader): TopologyLookup {
  return {
    pod: (namespace, name) => resources.get('Pod', namespace, name),
    // Nodes have no namespace; the loader files them under `default`, like every object that gives none.
    node: (name) => resources.get('Node', 'default', name),
  };
}

/**
 * docs/kubernetes.md "Localities": the Node of the endpoint's Pod decides, by its topology labels;
 * when the Pod or its Node is unknown, the slice's `zone` stands in. Pods and Nodes are not
 * validated beyond the two fields read: anything else counts as unknown.
 */
export function localityOf(place: EndpointPlace, topology: TopologyLookup): Locality {
  const node = place.pod && nodeOf(place.pod, topology);
  if (!node) return { region: '', zone: place.zone, subZone: '' };
  const metadata = isPlainObject(node.metadata) ? node.metadata : {};
  const labels = isPlainObject(metadata.labels) ? metadata.labels : {};
  const label = (key: string): string => (typeof labels[key] === 'string' ? labels[key] : '');
  return { region: label(REGION_LABEL), zone: label(ZONE_LABEL), subZone: label(SUBZONE_LABEL) };
}

function nodeOf(pod: { namespace: string; name: string }, topology: TopologyLookup): Record<string, unknown> | undefined {
  const object = topology.pod(pod.namespace, pod.name);
  const spec = isPlainObject(object) ? object.spec : undefined;
  const nodeName = isPlainObject(spec) && typeof spec.nodeName === 'string' && spec.nodeName !== '' ? spec.nodeName : undefined;
  if (!nodeName) return undefined;
  const node = topology.node(nodeName);
  return isPlainObject(node) ? node : undefined;
}

/** Envoy's `locality`: only the fields that are set; undefined when none is (no `locality` at all). */
export function localityJson(locality: Locality): { region?: string; zone?: string; subZone?: string } | undefined {
  const { region, zone, subZone } = locality;
  if (!region && !zone && !subZone) return undefined;
  // Set one by one in this order (not spread in): the fields' order in Envoy's schema, one shape.
  const json: { region?: string; zone?: string; subZone?: string } = {};
  if (region) json.region = region;
  if (zone) json.zone = zone;
  if (subZone) json.subZone = subZone;
  return json;
}
