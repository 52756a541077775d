import { type EnvoyAssignment, type EnvoyCluster, type TranslationResult } from '@backendkit/core';
import { assignmentMessage, clusterMessage, packedAny } from '@backendkit/core/envoy';
import { digest, type XdsResource } from './resource';
import { Snapshot } from './snapshot';

// A result holds clusters and assignments as proto3 JSON (docs/performance.md, "Clusters stay
// JSON"); the message and its binary `Any` are built here, on demand. A re-translation shares the
// JSON of what did not change with the earlier result, so each is built and packed once; versions
// still compare content (a digest of the packed bytes).
const packed = new WeakMap<object, XdsResource>();

function pack(json: EnvoyCluster | EnvoyAssignment, name: string, message: () => unknown): XdsResource {
  let resource = packed.get(json);
  if (!resource) {
    const any = packedAny(json);
    resource = { name, typeUrl: any.typeUrl, any, version: digest(any.value), message: message() };
    packed.set(json, resource);
  }
  return resource;
}

export interface SnapshotFromTranslationOptions {
  /** A label for the snapshot (logs, events); by default a digest of its content. */
  version?: string;
  /** Resources of other types to serve with the clusters: listeners, routes, secrets. */
  resources?: readonly XdsResource[];
}

/**
 * The snapshot of a translation: its clusters (CDS) and the assignments of its EDS clusters (EDS),
 * plus any other resources given. Types are versioned by content, so after a re-translation where
 * only endpoints changed only EDS is pushed (docs/xds-server.md).
 */
export function snapshotFromTranslation(result: Pick<TranslationResult, 'clusters' | 'assignments'>, options: SnapshotFromTranslationOptions = {}): Snapshot {
  const resources = [
    ...result.clusters.map((c) => pack(c, c.name, () => clusterMessage(c))),
    ...result.assignments.map((a) => pack(a, a.clusterName, () => assignmentMessage(a))),
    ...(options.resources ?? []),
  ];
  return new Snapshot(options.version, resources);
}
