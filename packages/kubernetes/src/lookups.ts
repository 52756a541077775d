import type { ClusterLoadAssignmentJson, Diagnostic, Fragment, KubeObject, TranslateContext } from '@backendkit/core';
import { buildAssignment, readSlice, type Slice } from './endpoints';
import { edsCluster } from '@backendkit/core';
import { localityOf, resourceTopology, type TopologyLookup } from './locality';
import { PLUGIN_NAME, portAppProtocol, readService, type ReadService, type ServiceInfo, type ServicePort } from './service';
import { ENDPOINT_SOURCE, resourceEndpointSource, type EndpointSource } from './source';

export interface ServiceSlices {
  slices: Slice[];
  /** Warnings about skipped slices; an error when the source itself failed. */
  diagnostics: Diagnostic[];
}

/**
 * What one translation has read so far: each Service and each Service's slices are validated once,
 * however many ports and Backends refer to them.
 */
export class Lookups {
  private readonly services = new Map<KubeObject, ReadService>();
  private readonly slices = new Map<string, ServiceSlices>();
  private source?: EndpointSource;
  private topology?: TopologyLookup;

  constructor(private readonly ctx: TranslateContext) {}

  service(object: KubeObject): ReadService {
    let read = this.services.get(object);
    if (!read) {
      read = readService(object, this.ctx.resources);
      this.services.set(object, read);
    }
    return read;
  }

  serviceSlices(namespace: string, service: string): ServiceSlices {
    const key = `${namespace}/${service}`;
    let found = this.slices.get(key);
    if (!found) {
      found = this.readSlices(namespace, service);
      this.slices.set(key, found);
    }
    return found;
  }

  /** The fragment of one Service port: EDS cluster, its assignment, and its application protocol. */
  portFragment(service: ServiceInfo, port: ServicePort): Fragment {
    const { slices, diagnostics } = this.serviceSlices(service.namespace, service.name);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) return { diagnostics: errors };
    const appProtocol = portAppProtocol(port);
    let assignment: ClusterLoadAssignmentJson;
    try {
      assignment = buildAssignment(slices, port, service.portCount, (place) => localityOf(place, this.topologyLookup()));
    } catch (error) {
      // Only a host's source can throw here (its pod or node lookup), as for its slices above.
      const reason = error instanceof Error ? error.message : String(error);
      const message = `cannot read the Pods or Nodes of Service ${service.namespace}/${service.name}: ${reason}`;
      return { diagnostics: [{ severity: 'error', code: 'endpoint-source-failed', plugin: PLUGIN_NAME, message }] };
    }
    return { cluster: edsCluster(), assignment, ...(appProtocol ? { appProtocol } : {}) };
  }

  /** Pods and Nodes from the source when it has them, else from the translation's objects. */
  private topologyLookup(): TopologyLookup {
    if (this.topology) return this.topology;
    const source = (this.source ??= this.endpointSource());
    const objects = resourceTopology(this.ctx.resources);
    this.topology = {
      pod: source.pod ? (namespace, name) => source.pod!(namespace, name) : objects.pod,
      node: source.node ? (name) => source.node!(name) : objects.node,
    };
    return this.topology;
  }

  private endpointSource(): EndpointSource {
    return this.ctx.resolve<EndpointSource>(ENDPOINT_SOURCE, () => resourceEndpointSource(this.ctx.resources));
  }

  private readSlices(namespace: string, service: string): ServiceSlices {
    this.source ??= this.endpointSource();
    let objects: readonly unknown[];
    try {
      objects = this.source.endpointSlices(namespace, service);
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
}
