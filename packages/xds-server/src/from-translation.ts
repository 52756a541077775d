import { ClusterLoadAssignmentSchema, ClusterSchema, type TranslationResult } from '@backendkit/core';
import { xdsResource, type XdsResource } from './resource';
import { Snapshot } from './snapshot';

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
    ...result.clusters.map((c) => xdsResource(ClusterSchema, c)),
    ...result.assignments.map((a) => xdsResource(ClusterLoadAssignmentSchema, a)),
    ...(options.resources ?? []),
  ];
  return new Snapshot(options.version, resources);
}
