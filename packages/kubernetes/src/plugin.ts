import { definePlugin, type BackendPlugin, type Diagnostic, type ExtraCluster, type Fragment, type KubeObject, type TranslateContext } from '@backendkit/core';
import { describeError } from '@backendkit/core/helpers';
import { portFragment, serviceOf, serviceSlices } from './lookups';
import { KUBERNETES_KINDS, serviceClusterName, serviceRefKind } from './refs';
import { unmatchedPort } from './endpoints';
import { kubernetesSchema, type KubernetesSpec } from './schema';
import { wellFormedKubernetes } from './well-formed-spec';
import { PLUGIN_NAME } from './service';

/**
 * docs/kubernetes.md: every port of every Service becomes an EDS cluster `kube_<ns>_<svc>_<port>`,
 * and a Backend with `spec.kubernetes` becomes the same kind of cluster for one Service port.
 * Endpoints come from the `ENDPOINT_SOURCE` (default: the EndpointSlices given to the translation).
 */
export function kubernetesPlugin(): BackendPlugin<KubernetesSpec> {
  return definePlugin<KubernetesSpec>({
    name: PLUGIN_NAME,
    key: 'kubernetes',
    legacyType: 'Kubernetes',
    schema: kubernetesSchema,
    wellFormed: wellFormedKubernetes,
    kinds: KUBERNETES_KINDS,
    refKinds: [serviceRefKind],
    translate(spec, ctx) {
      const namespace = spec.serviceNamespace ?? ctx.backend.metadata.namespace;
      const ref = `${namespace}/${spec.serviceName}`;
      const object = ctx.resources.get('Service', namespace, spec.serviceName);
      if (!object) return failed('service-not-found', `${ctx.path}.serviceName`, `Service ${ref} not found`);
      const read = serviceOf(ctx, object);
      if (!read.ok) {
        // Problems without a path (a duplicate Service) already read as whole sentences.
        const message = read.diagnostics.every((d) => !d.path)
          ? read.diagnostics.map((d) => d.message).join('; ')
          : `Service ${ref} is invalid: ${read.diagnostics.map(describeError).join('; ')}`;
        return failed('invalid-service', `${ctx.path}.serviceName`, message);
      }
      const port = read.service.ports.find((p) => p.port === spec.servicePort);
      if (!port) return failed('port-not-found', `${ctx.path}.servicePort`, `port ${spec.servicePort} not found on Service ${ref}`);
      // Warnings about the Service's slices are reported once, with the Service's own clusters.
      return portFragment(ctx, read.service, port);
    },
    clusters(ctx) {
      // One list pushed to, not `flatMap`'s list per Service and copy of them all.
      const clusters: ExtraCluster[] = [];
      for (const service of ctx.resources.list('Service')) serviceClusters(service, ctx, clusters);
      return clusters;
    },
  });
}

/** Adds the clusters of one Service to `clusters`. */
function serviceClusters(object: KubeObject, ctx: TranslateContext, clusters: ExtraCluster[]): void {
  const { namespace, name } = object.metadata;
  const read = serviceOf(ctx, object);
  if (!read.ok) {
    // No port can be trusted, so no cluster is made; this one target carries the reasons.
    clusters.push({ clusterName: `kube_${namespace}_${name}`, resource: object, fragment: { diagnostics: read.diagnostics } });
    return;
  }
  const sliceRead = serviceSlices(ctx, namespace, name);
  const { service } = read;
  service.ports.forEach((port, i) => {
    const fragment: Fragment = portFragment(ctx, service, port, sliceRead);
    const unmatched = unmatchedPort(sliceRead.slices, port, service.portCount, `${namespace}/${name}`);
    const shared = service.warnings.size > 0 ? service.warnings.get(port.port) : undefined;
    // Most ports have nothing to report: no list is made for them.
    if (fragment.diagnostics || shared || unmatched || (i === 0 && sliceRead.diagnostics.length > 0)) {
      const diagnostics: Diagnostic[] = [...(fragment.diagnostics ?? []), ...(shared ?? [])];
      if (unmatched) diagnostics.push(unmatched);
      // Once per Service, not once per port.
      if (i === 0) for (const problem of sliceRead.diagnostics) if (problem.severity === 'warning') diagnostics.push(problem);
      // portFragment made the fragment for this call: it is completed, not copied.
      if (diagnostics.length > 0) fragment.diagnostics = diagnostics;
    }
    const clusterName = serviceClusterName(namespace, name, port.port);
    clusters.push(port.name ? { clusterName, resource: object, sectionName: port.name, fragment } : { clusterName, resource: object, fragment });
  });
}

function failed(code: string, path: string, message: string): Fragment {
  return { diagnostics: [{ severity: 'error', code, path, plugin: PLUGIN_NAME, message }] };
}
