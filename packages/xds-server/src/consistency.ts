import { fromBinary } from '@bufbuild/protobuf';
import { type Cluster } from '@backendkit/core';
import { ClusterSchema } from '@backendkit/core/envoy';
import { cluster as clusterPb } from '@backendkit/xds-types';
import { CLUSTER_TYPE, ENDPOINT_TYPE } from './types';
import type { Snapshot } from './snapshot';

/** A snapshot whose clusters and assignments do not match (docs/xds-server.md). */
export class InconsistentSnapshotError extends Error {
  override name = 'InconsistentSnapshotError';
  constructor(readonly problems: readonly string[]) {
    super(`inconsistent snapshot: ${problems.join('; ')}`);
  }
}

export function isInconsistentSnapshotError(error: unknown): error is InconsistentSnapshotError {
  return error instanceof InconsistentSnapshotError;
}

/** The assignment names the snapshot's EDS clusters ask for (`eds_cluster_config.service_name` or the cluster name). */
export function edsServiceNames(snapshot: Snapshot): Map<string, string> {
  const names = new Map<string, string>();
  for (const resource of snapshot.resources(CLUSTER_TYPE).values()) {
    const cluster = (resource.message as Cluster | undefined) ?? fromBinary(ClusterSchema, resource.any.value);
    const discovery = cluster.clusterDiscoveryType;
    if (discovery.case === 'type' && discovery.value === clusterPb.Cluster_DiscoveryType.EDS) {
      names.set(cluster.edsClusterConfig?.serviceName || cluster.name, cluster.name);
    }
  }
  return names;
}

/**
 * The problems that make a snapshot inconsistent, as go-control-plane checks them: an EDS cluster
 * without its assignment (Envoy would wait for it forever while warming), or an assignment no
 * cluster asks for. Empty when consistent.
 */
export function snapshotProblems(snapshot: Snapshot): string[] {
  const wanted = edsServiceNames(snapshot);
  const assignments = snapshot.resources(ENDPOINT_TYPE);
  const problems: string[] = [];
  for (const [service, cluster] of wanted) {
    if (!assignments.has(service)) problems.push(`EDS cluster "${cluster}" has no ClusterLoadAssignment "${service}"`);
  }
  for (const name of assignments.keys()) {
    if (!wanted.has(name)) problems.push(`ClusterLoadAssignment "${name}" belongs to no EDS cluster`);
  }
  return problems;
}

/** Throws {@link InconsistentSnapshotError} when {@link snapshotProblems} finds any. */
export function assertConsistent(snapshot: Snapshot): void {
  const problems = snapshotProblems(snapshot);
  if (problems.length > 0) throw new InconsistentSnapshotError(problems);
}
