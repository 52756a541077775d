import type { Diagnostic, KubeObject, ResourceReader } from '@backendkit/core';
import { issuesToDiagnostics, keyOf } from '@backendkit/core/helpers';
import { serviceClusterName } from './refs';
import { serviceSchema, type ServicePortSpec } from './schema';
import { wellFormedServicePorts } from './well-formed';

export const PLUGIN_NAME = '@backendkit/kubernetes';

/** One port of a Service, as clusters are built for it. */
export interface ServicePort {
  /** `''` for the unnamed port of a single-port Service. */
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
  /** The Pods' port, by number or by container port name; absent means `port`. */
  targetPort?: number | string;
  /** Index in `spec.ports`, for messages. */
  index: number;
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  /** One entry per distinct port number, in spec order. */
  ports: ServicePort[];
  /** Total ports in the spec: a single-port Service matches EndpointSlice ports differently. */
  portCount: number;
  /** Warnings about ports that share a number with another (one cluster per number). */
  warnings: Map<number, Diagnostic[]>;
}

export type ReadService = { ok: true; service: ServiceInfo } | { ok: false; diagnostics: Diagnostic[] };

/** Validates a Service; problems are error diagnostics with paths into the Service. */
export function readService(object: KubeObject, resources: ResourceReader): ReadService {
  return readServiceWith(object, resources, wellFormedServicePorts);
}

/**
 * `readService` with the quick check given (tests pass one that always says "cannot tell", so that
 * the schema reads every Service): the schema reads only what the check cannot vouch for.
 */
export function readServiceWith(object: KubeObject, resources: ResourceReader, quick: (object: unknown) => ServicePortSpec[] | undefined): ReadService {
  const { namespace, name } = object.metadata;
  if (resources.duplicates.has(keyOf('Service', namespace, name))) {
    return {
      ok: false,
      diagnostics: [{ severity: 'error', code: 'duplicate', plugin: PLUGIN_NAME, message: `Service ${namespace}/${name} is defined more than once` }],
    };
  }
  const ports = quick(object);
  if (ports) return { ok: true, service: serviceInfo(namespace, name, ports) };
  const parsed = serviceSchema.safeParse(object);
  return parsed.success
    ? { ok: true, service: serviceInfo(namespace, name, parsed.data.spec.ports ?? []) }
    : { ok: false, diagnostics: issuesToDiagnostics(parsed.error, '', PLUGIN_NAME, object) };
}

function serviceInfo(
  namespace: string,
  name: string,
  specPorts: ReadonlyArray<{ name?: string; port: number; protocol?: string; appProtocol?: string; targetPort?: number | string }>,
): ServiceInfo {
  // Optional fields set after the literal, not spread in: V8 copies `{ ...a, ...b }` through a slow
  // path (docs/performance.md, "The translation's own work").
  const all: ServicePort[] = specPorts.map((p, index) => {
    const port: ServicePort = { name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', index };
    if (p.appProtocol) port.appProtocol = p.appProtocol;
    if (p.targetPort !== undefined) port.targetPort = p.targetPort;
    return port;
  });
  // Kubernetes allows one number twice with different protocols (DNS: 53/TCP and 53/UDP), but the
  // cluster name holds only the number: the TCP entry (else the first) stands for it.
  const ports: ServicePort[] = [];
  const warnings = new Map<number, Diagnostic[]>();
  for (const port of all) {
    if (ports.some((p) => p.port === port.port)) continue;
    const same = all.filter((p) => p.port === port.port);
    const chosen = same.find((p) => p.protocol === 'TCP') ?? same[0]!;
    ports.push(chosen);
    for (const other of same.filter((p) => p !== chosen)) {
      const list = warnings.get(port.port) ?? [];
      list.push({
        severity: 'warning',
        code: 'shared-port',
        plugin: PLUGIN_NAME,
        path: `spec.ports[${other.index}].port`,
        message: `port ${other.port}/${other.protocol} shares its number with spec.ports[${chosen.index}] (${chosen.protocol}); cluster ${serviceClusterName(namespace, name, chosen.port)} is built for spec.ports[${chosen.index}]`,
      });
      warnings.set(port.port, list);
    }
  }
  return { namespace, name, ports, portCount: all.length, warnings };
}

/** The application protocol of a port: `appProtocol`, else its name (docs/kubernetes.md). */
export function portAppProtocol(port: ServicePort): string | undefined {
  return port.appProtocol ?? (port.name !== '' ? port.name : undefined);
}
