import { type TranslationResult } from '@backendkit/core';
import { ClusterLoadAssignmentSchema, ClusterSchema } from '@backendkit/core/envoy';
import { xdsResource, type XdsResource } from './resource';
import { Snapshot } from './snapshot';

// A re-translation shares the messages of what did not change with the earlier result
// (docs/performance.md), so each message is packed once; versions still compare content.
const packed = new WeakMap<object, XdsResource>();

function pack<T extends object>(message: T, make: (m: T) => XdsResource): XdsResource {
  let resource = packed.get(message);
  if (!resource) {
    resource = make(message);
    packed.set(message, resource);
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
export function snapshotFromTranslation(
  result: Pick<TranslationResult, 'clusters' | 'assignments'>,
  options: SnapshotFromTranslationOptions = {},
): Snapshot {
  const resources = [
    ...result.clusters.map((c) => pack(c, (m) => xdsResource(ClusterSchema, m))),
    ...result.assignments.map((a) => pack(a, (m) => xdsResource(ClusterLoadAssignmentSchema, m))),
    ...(options.resources ?? []),
  ];
  return new Snapshot(options.version, resources);
}
