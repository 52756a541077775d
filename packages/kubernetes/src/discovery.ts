import { createHash } from 'node:crypto';
import type { Diagnostic, KubeObject } from '@backendkit/core';
import { compareStrings as compare, located, ResourceIndex } from '@backendkit/core/helpers';
import { readService, PLUGIN_NAME } from './service';

export const DISCOVERED_API_VERSION = 'gateway.kgateway.dev/v1alpha1';
const MAX_NAME = 63;

/** A Backend that `discoverBackends` writes: plain data, ready to print as YAML or JSON. */
export interface DiscoveredBackend {
  apiVersion: typeof DISCOVERED_API_VERSION;
  kind: 'Backend';
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: { kubernetes: { serviceName: string; serviceNamespace: string; servicePort: number } };
}

export interface DiscoverOptions {
  /** Namespace of every Backend; default: the namespace of its Service. */
  namespace?: string;
}

export interface DiscoveryResult {
  /** Sorted by namespace and name. */
  backends: DiscoveredBackend[];
  /** Services that cannot be read, and names that two Services would share. */
  diagnostics: Diagnostic[];
}

/**
 * docs/kubernetes.md: one `kubernetes` Backend per Service port, named `<namespace>-<service>-<port>` made
 * DNS-safe, labelled with the Service's labels. Objects of other kinds are ignored.
 */
export function discoverBackends(objects: readonly KubeObject[], options: DiscoverOptions = {}): DiscoveryResult {
  const resources = new ResourceIndex(objects);
  const result: DiscoveryResult = { backends: [], diagnostics: [] };
  const owners = new Map<string, string>();
  for (const object of resources.list('Service')) {
    const { namespace, name, labels } = object.metadata;
    const read = readService(object, resources);
    if (!read.ok) {
      result.diagnostics.push(...read.diagnostics.map((d) => located(object, d)));
      continue;
    }
    const ports = [...read.service.ports].sort((a, b) => a.port - b.port);
    for (const { port } of ports) {
      const backend: DiscoveredBackend = {
        apiVersion: DISCOVERED_API_VERSION,
        kind: 'Backend',
        metadata: {
          name: backendName(namespace, name, port),
          namespace: options.namespace ?? namespace,
          ...(labels && Object.keys(labels).length > 0 ? { labels: sortedLabels(labels) } : {}),
        },
        spec: { kubernetes: { serviceName: name, serviceNamespace: namespace, servicePort: port } },
      };
      const key = `${backend.metadata.namespace}/${backend.metadata.name}`;
      const owner = owners.get(key);
      if (owner) {
        // Only possible when names collide after sanitising in one target namespace: keep the first.
        result.diagnostics.push(
          located(object, {
            severity: 'error',
            code: 'name-collision',
            plugin: PLUGIN_NAME,
            message: `port ${port} would be Backend ${key}, which already stands for ${owner}: skipped`,
          }),
        );
        continue;
      }
      owners.set(key, `Service ${namespace}/${name} port ${port}`);
      result.backends.push(backend);
    }
  }
  result.backends.sort((a, b) => compare(a.metadata.namespace, b.metadata.namespace) || compare(a.metadata.name, b.metadata.name));
  return result;
}

/**
 * docs/kubernetes.md: `<namespace>-<service>-<port>`, lower case, with every character a DNS label cannot hold
 * (`.`, `_`, `/`, `:`, spaces, ...) turned into `-`, leading `-` dropped. Longer than 63 characters: the first 31, `-`, then
 * the hex SHA-256 of the unsanitised name, cut to 63 — so long names stay unique and stable.
 */
export function backendName(namespace: string, service: string, port: number): string {
  const raw = `${namespace}-${service}-${port}`;
  // A label may not start with '-'; it always ends with the port's digits.
  const safe = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+/, '');
  if (safe.length <= MAX_NAME) return safe;
  const hash = createHash('sha256').update(raw, 'utf8').digest('hex');
  return `${safe.slice(0, 31)}-${hash}`.slice(0, MAX_NAME);
}

function sortedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => compare(a, b)));
}
