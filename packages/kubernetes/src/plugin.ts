import {
  definePlugin,
  describeError,
  serviceClusterName,
  type BackendPlugin,
  type Diagnostic,
  type ExtraCluster,
  type Fragment,
  type KubeObject,
  type ResourceIndex,
  type TranslateContext,
} from '@backendkit/core';
import { unmatchedPort } from './endpoints';
import { Lookups } from './lookups';
import { kubernetesSchema, type KubernetesSpec } from './schema';
import { PLUGIN_NAME } from './service';

/**
 * SPEC §2.2 and §3.3: every port of every Service becomes an EDS cluster `kube_<ns>_<svc>_<port>`,
 * and a Backend with `spec.kubernetes` becomes the same kind of cluster for one Service port.
 * Endpoints come from the `ENDPOINT_SOURCE` (default: the EndpointSlices given to the translation).
 */
export function kubernetesPlugin(): BackendPlugin<KubernetesSpec> {
  // Per translation (one ResourceIndex each), so nothing read in one leaks into the next.
  const translations = new WeakMap<ResourceIndex, Lookups>();
  const lookups = (ctx: TranslateContext): Lookups => {
    let found = translations.get(ctx.resources);
    if (!found) {
      found = new Lookups(ctx);
      translations.set(ctx.resources, found);
    }
    return found;
  };

  return definePlugin<KubernetesSpec>({
    name: PLUGIN_NAME,
    key: 'kubernetes',
    legacyType: 'Kubernetes',
    schema: kubernetesSchema,
    translate(spec, ctx) {
      const namespace = spec.serviceNamespace ?? ctx.backend.metadata.namespace;
      const ref = `${namespace}/${spec.serviceName}`;
      const object = ctx.resources.get('Service', namespace, spec.serviceName);
      if (!object) return failed('service-not-found', `${ctx.path}.serviceName`, `Service ${ref} not found`);
      const read = lookups(ctx).service(object);
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
      return lookups(ctx).portFragment(read.service, port);
    },
    clusters(ctx) {
      return ctx.resources.list('Service').flatMap((service) => serviceClusters(service, lookups(ctx)));
    },
  });
}

function serviceClusters(object: KubeObject, lookups: Lookups): ExtraCluster[] {
  const { namespace, name } = object.metadata;
  const read = lookups.service(object);
  if (!read.ok) {
    // No port can be trusted, so no cluster is made; this one target carries the reasons.
    return [{ clusterName: `kube_${namespace}_${name}`, resource: object, fragment: { diagnostics: read.diagnostics } }];
  }
  const { slices, diagnostics: sliceDiagnostics } = lookups.serviceSlices(namespace, name);
  const sliceProblems = sliceDiagnostics.filter((d) => d.severity === 'warning');
  return read.service.ports.map((port, i) => {
    const fragment: Fragment = lookups.portFragment(read.service, port);
    const unmatched = unmatchedPort(slices, port, read.service.portCount, `${namespace}/${name}`);
    const diagnostics: Diagnostic[] = [
      ...(fragment.diagnostics ?? []),
      ...(read.service.warnings.get(port.port) ?? []),
      ...(unmatched ? [unmatched] : []),
      // Once per Service, not once per port.
      ...(i === 0 ? sliceProblems : []),
    ];
    return {
      clusterName: serviceClusterName(namespace, name, port.port),
      resource: object,
      fragment: { ...fragment, ...(diagnostics.length > 0 ? { diagnostics } : {}) },
    };
  });
}

function failed(code: string, path: string, message: string): Fragment {
  return { diagnostics: [{ severity: 'error', code, path, plugin: PLUGIN_NAME, message }] };
}
