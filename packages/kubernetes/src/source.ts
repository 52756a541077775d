import type { ResourceReader } from '@backendkit/core';

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * Where the plugin reads the EndpointSlices of a Service. The default reads the EndpointSlices given
 * to the translation. A control plane registers its own under `ENDPOINT_SOURCE`, e.g. one answering
 * from an informer's cache, so endpoints can change without re-reading every object.
 *
 * Return the slices as Kubernetes objects (the JSON the API server serves, or the objects a client
 * library's informer holds): the plugin validates them itself, so a source does not have to.
 */
export interface EndpointSource {
  /** The EndpointSlices labelled `kubernetes.io/service-name: <service>` in `namespace`. */
  endpointSlices(namespace: string, service: string): readonly unknown[];
  /**
   * The Pod an endpoint's `targetRef` names, for its Node's locality (docs/kubernetes.md), or
   * undefined. Without this method, Pods come from the translation's objects.
   */
  pod?(namespace: string, name: string): unknown;
  /** The Node a Pod runs on, or undefined. Without this method, Nodes come from the translation's objects. */
  node?(name: string): unknown;
}

/** The injection token for an `EndpointSource`: `createTranslator({ provide: [[ENDPOINT_SOURCE, source]] })`. */
export const ENDPOINT_SOURCE = Symbol.for('backendkit.EndpointSource');

/** The default source: the EndpointSlices among the translation's own objects. */
export function resourceEndpointSource(resources: ResourceReader): EndpointSource {
  return {
    // Indexed by label inside the ResourceIndex: one pass over all slices, however many lookups, and
    // an incremental translation sees exactly which slices a Service's clusters read.
    endpointSlices: (namespace, service) => resources.withLabel('EndpointSlice', namespace, SERVICE_NAME_LABEL, service),
  };
}
