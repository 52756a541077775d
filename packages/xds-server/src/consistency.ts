import { fromBinary } from '@bufbuild/protobuf';
import { type Cluster } from '@backendkit/core';
import { ClusterSchema } from '@backendkit/core/envoy';
import { cluster as clusterPb } from '@backendkit/xds-types';
import { CLUSTER_TYPE, ENDPOINT_TYPE } from './types';
import type { XdsResource } from './resource';
import type { ResourceSet } from './resource-set';
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

// The assignment a cluster asks for, by resource: resources are immutable and shared by the
// snapshots of successive translations, so each cluster is read once, not on every check.
const edsNameOf = new WeakMap<XdsResource, string | null>();

function edsServiceName(resource: XdsResource): string | null {
  let name = edsNameOf.get(resource);
  if (name === undefined) {
    const cluster = (resource.message as Cluster | undefined) ?? fromBinary(ClusterSchema, resource.any.value);
    const discovery = cluster.clusterDiscoveryType;
    const eds = discovery.case === 'type' && discovery.value === clusterPb.Cluster_DiscoveryType.EDS;
    name = eds ? cluster.edsClusterConfig?.serviceName || cluster.name : null;
    edsNameOf.set(resource, name);
  }
  return name;
}

/** The assignment names the snapshot's EDS clusters ask for (`eds_cluster_config.service_name` or the cluster name). */
export function edsServiceNames(snapshot: Snapshot): Map<string, string> {
  const names = new Map<string, string>();
  for (const resource of snapshot.resources(CLUSTER_TYPE).values()) {
    const service = edsServiceName(resource);
    if (service !== null) names.set(service, resource.name);
  }
  return names;
}

// Consistency depends on the clusters' names and assignment names and the assignments' names only.
// The result is kept per pair of resource sets; a set derived from another with the same names
// (and, for clusters, the same assignment names at the changed places) answers as that one did.
const checked = new WeakMap<ResourceSet, WeakMap<ResourceSet, string[]>>();

function sameNamesAs(set: ResourceSet, clusters: boolean): ResourceSet | undefined {
  const d = set.derivation;
  if (!d) return undefined;
  if (clusters && !d.changed.every((i) => edsServiceName(set.sorted[i]!) === edsServiceName(d.base.sorted[i]!))) return undefined;
  return d.base;
}

function computeProblems(snapshot: Snapshot): string[] {
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

/**
 * The problems that make a snapshot inconsistent, as go-control-plane checks them: an EDS cluster
 * without its assignment (Envoy would wait for it forever while warming), or an assignment no
 * cluster asks for. Empty when consistent.
 */
export function snapshotProblems(snapshot: Snapshot): string[] {
  const clusters = snapshot.resourceSet(CLUSTER_TYPE);
  const assignments = snapshot.resourceSet(ENDPOINT_TYPE);
  const lookup = (c: ResourceSet | undefined, e: ResourceSet | undefined) => (c && e ? checked.get(c)?.get(e) : undefined);
  const like = [clusters, sameNamesAs(clusters, true) ?? clusters];
  const likeAssignments = [assignments, sameNamesAs(assignments, false) ?? assignments];
  let problems: string[] | undefined;
  for (const c of like) for (const e of likeAssignments) problems ??= lookup(c, e);
  problems ??= computeProblems(snapshot);
  let byAssignments = checked.get(clusters);
  if (!byAssignments) checked.set(clusters, (byAssignments = new WeakMap()));
  byAssignments.set(assignments, problems);
  return [...problems];
}

/** Throws {@link InconsistentSnapshotError} when {@link snapshotProblems} finds any. */
export function assertConsistent(snapshot: Snapshot): void {
  const problems = snapshotProblems(snapshot);
  if (problems.length > 0) throw new InconsistentSnapshotError(problems);
}
