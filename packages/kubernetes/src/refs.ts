import type { BackendRefTarget, KindTable, RefKind, RefTarget } from '@backendkit/core';
import { isPlainObject } from '@backendkit/core/helpers';

/** The objects this plugin reads (docs/kubernetes.md). */
export const KUBERNETES_KINDS: KindTable = {
  Service: ['v1'],
  EndpointSlice: ['discovery.k8s.io/v1'],
  // Read for endpoint localities: an endpoint's Pod, and the Node it runs on (docs/kubernetes.md).
  Pod: ['v1'],
  Node: ['v1'],
};

/** The cluster of one Service port (docs/kubernetes.md). */
export function serviceClusterName(namespace: string, service: string, port: number): string {
  return `kube_${namespace}_${service}_${port}`;
}

/**
 * HTTPRoute backendRefs to a Service (the core group, and Gateway API's default kind) resolve to the
 * cluster of the port they name (docs/routing.md). Without this plugin, such a ref is `InvalidKind`.
 */
export const serviceRefKind: RefKind = {
  group: '',
  kind: 'Service',
  port: 'required',
  resolve: ({ namespace, name, port }: BackendRefTarget, ctx): RefTarget => {
    const service = ctx.resources.get('Service', namespace, name);
    if (!service) return { notFound: `Service ${namespace}/${name} not found` };
    // Only a port the Service declares has a cluster (the plugin makes one per declared port).
    if (!servicePorts(service.spec).includes(port!)) return { notFound: `port ${port} not found on Service ${namespace}/${name}` };
    return { cluster: serviceClusterName(namespace, name, port!) };
  },
};

/** The `port` numbers a Service declares; a malformed Service declares none (its clusters report it). */
function servicePorts(spec: unknown): number[] {
  if (!isPlainObject(spec) || !Array.isArray(spec.ports)) return [];
  return spec.ports.flatMap((p: unknown) => (isPlainObject(p) && typeof p.port === 'number' ? [p.port] : []));
}
