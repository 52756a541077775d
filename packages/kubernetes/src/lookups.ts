import type { ClusterLoadAssignmentJson, Diagnostic, Fragment, KubeObject, ResourceReader, TranslateContext } from '@backendkit/core';
import { edsCluster, frozenJson } from '@backendkit/core/helpers';
import { buildAssignment, readSlice, type Slice } from './endpoints';
import { localityOf, resourceTopology, type TopologyLookup } from './locality';
import { PLUGIN_NAME, portAppProtocol, readService, type ReadService, type ServiceInfo, type ServicePort } from './service';
import { ENDPOINT_SOURCE, resourceEndpointSource, type EndpointSource } from './source';

export interface ServiceSlices {
  slices: Slice[];
  /** Warnings about skipped slices; an error when the source itself failed. */
  diagnostics: Diagnostic[];
}

// Each Service and each Service's slices are validated once per translation (`ctx.shared`), however
// many ports and Backends refer to them; an incremental translation still sees every read.

/**
 * The `ctx.shared` keys, one string each, made once: a key joined anew for every lookup is hashed
 * anew too, about half a microsecond for these (docs/performance.md, "The translation's own
 * work"). By namespace and name (the input's strings: an object changed in place gets its new key),
 * emptied when it holds `MAX_KEYS`.
 */
class SharedKeys {
  private readonly byNamespace = new Map<string, Map<string, string>>();
  private size = 0;

  constructor(private readonly kind: string) {}

  get(namespace: string, name: string): string {
    let names = this.byNamespace.get(namespace);
    if (!names) this.byNamespace.set(namespace, (names = new Map()));
    let key = names.get(name);
    if (key === undefined) {
      if (this.size >= MAX_KEYS) {
        this.byNamespace.clear();
        this.size = 0;
        this.byNamespace.set(namespace, (names = new Map()));
      }
      key = `${PLUGIN_NAME}\0${this.kind}\0${namespace}/${name}`;
      names.set(name, key);
      this.size++;
    }
    return key;
  }
}
const MAX_KEYS = 100_000;
const serviceKeys = new SharedKeys('service');
const sliceKeys = new SharedKeys('slices');
/** A port's assignment key, by the port as `readService` made it (this plugin's own object, never changed). */
const assignmentKeys = new WeakMap<ServicePort, string>();

/** The Service `object` (as `ctx.resources` gave it), validated. */
export function serviceOf(ctx: TranslateContext, object: KubeObject): ReadService {
  const { namespace, name } = object.metadata;
  return ctx.shared(serviceKeys.get(namespace, name), (shared) => {
    // Read again through the shared context, so that the Service is a dependency of the value itself.
    const current = shared.resources.get('Service', namespace, name) ?? object;
    return readService(current, shared.resources);
  });
}

/** The EndpointSlices of a Service, from the `ENDPOINT_SOURCE`, validated. */
export function serviceSlices(ctx: TranslateContext, namespace: string, service: string): ServiceSlices {
  return ctx.shared(sliceKeys.get(namespace, service), (shared) => readSlices(shared, namespace, service));
}

/**
 * The fragment of one Service port: EDS cluster, its assignment, and its application protocol.
 * `slices`: the Service's, when the caller has them already (one lookup fewer per port).
 */
export function portFragment(
  ctx: TranslateContext,
  service: ServiceInfo,
  port: ServicePort,
  slices: ServiceSlices = serviceSlices(ctx, service.namespace, service.name),
): Fragment {
  // Most Services' slices read without a problem: no list is made for them.
  if (slices.diagnostics.length > 0) {
    const errors = slices.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) return { diagnostics: errors };
  }
  const appProtocol = portAppProtocol(port);
  let assignment: ClusterLoadAssignmentJson;
  try {
    assignment = portAssignment(ctx, service, port);
  } catch (error) {
    // Only a host's source can throw here (its pod or node lookup), as for its slices below.
    const reason = error instanceof Error ? error.message : String(error);
    const message = `cannot read the Pods or Nodes of Service ${service.namespace}/${service.name}: ${reason}`;
    return { diagnostics: [{ severity: 'error', code: 'endpoint-source-failed', plugin: PLUGIN_NAME, message }] };
  }
  return appProtocol ? { cluster: EDS_CLUSTER, assignment, appProtocol } : { cluster: EDS_CLUSTER, assignment };
}

/** Every port's cluster part, frozen: the strict check walks it once and the result shares it (`frozenJson`). */
const EDS_CLUSTER = frozenJson(edsCluster());

/**
 * The assignment of one Service port, built once per translation (`ctx.shared`): a Backend that
 * points at the port and the port's own cluster get the same (frozen) endpoints, which the result
 * then holds once (docs/performance.md, "What the first translation keeps"). Keyed by what
 * `buildAssignment` reads of the port; a source that throws throws for each caller, as before.
 */
function portAssignment(ctx: TranslateContext, service: ServiceInfo, port: ServicePort): ClusterLoadAssignmentJson {
  let key = assignmentKeys.get(port);
  if (key === undefined) {
    const target = port.targetPort === undefined ? '' : `${typeof port.targetPort}:${port.targetPort}`;
    key = `${PLUGIN_NAME}\0assignment\0${service.namespace}/${service.name}\0${service.portCount}\0${port.name}\0${port.port}\0${target}`;
    assignmentKeys.set(port, key);
  }
  return ctx.shared(key, (shared) => {
    const { slices } = serviceSlices(shared, service.namespace, service.name);
    // Made on the first endpoint that names a Pod (the only ones `localityOf` looks up): most slices
    // name none. Nothing is read by making it that `serviceSlices` has not read already.
    let topology: TopologyLookup | undefined;
    return buildAssignment(slices, port, service.portCount, (place) => localityOf(place, place.pod ? (topology ??= topologyOf(shared)) : NO_TOPOLOGY));
  });
}

/** For an endpoint that names no Pod: `localityOf` then looks nothing up. */
const NO_TOPOLOGY: TopologyLookup = { pod: () => undefined, node: () => undefined };

/**
 * Pods and Nodes from the source when it has them, else from the translation's objects, read through
 * `ctx` so that an incremental translation records them as reads of this step (docs/architecture.md).
 */
function topologyOf(ctx: TranslateContext): TopologyLookup {
  const source = endpointSource(ctx);
  const objects = resourceTopology(ctx.resources);
  return {
    pod: source.pod ? (namespace, name) => source.pod!(namespace, name) : objects.pod,
    node: source.node ? (name) => source.node!(name) : objects.node,
  };
}

function endpointSource(ctx: TranslateContext): EndpointSource {
  return ctx.resolve<EndpointSource>(ENDPOINT_SOURCE, () => defaultSource(ctx.resources));
}

/** The default source of each reader (a translation's index, or a step's recorder of its reads), made once. */
const defaultSources = new WeakMap<ResourceReader, EndpointSource>();
function defaultSource(resources: ResourceReader): EndpointSource {
  let source = defaultSources.get(resources);
  if (!source) defaultSources.set(resources, (source = resourceEndpointSource(resources)));
  return source;
}

function readSlices(ctx: TranslateContext, namespace: string, service: string): ServiceSlices {
  const source = endpointSource(ctx);
  let objects: readonly unknown[];
  try {
    objects = source.endpointSlices(namespace, service);
  } catch (error) {
    // A host's source (an informer, a remote cache) failing is not the user's input being wrong,
    // but without endpoints there is no honest cluster to build.
    const reason = error instanceof Error ? error.message : String(error);
    const message = `cannot read the EndpointSlices of Service ${namespace}/${service}: ${reason}`;
    return { slices: [], diagnostics: [{ severity: 'error', code: 'endpoint-source-failed', plugin: PLUGIN_NAME, message }] };
  }
  const result: ServiceSlices = { slices: [], diagnostics: [] };
  for (const object of Array.isArray(objects) ? objects : []) {
    const read = readSlice(object);
    if (read.slice) result.slices.push(read.slice);
    result.diagnostics.push(...read.diagnostics);
  }
  return result;
}
