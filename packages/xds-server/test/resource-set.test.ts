import { create } from '@bufbuild/protobuf';
import { ClusterLoadAssignmentSchema, ClusterSchema } from '@backendkit/core/envoy';
import { cluster as clusterPb } from '@backendkit/xds-types';
import { CLUSTER_TYPE, isDuplicateResourceError, Snapshot, SnapshotCache, xdsResource, type XdsResource } from '@backendkit/xds-server';

// Enough clusters for several digest runs (a run closes at a version ending in "00": 1 in 256).
const clusters = Array.from({ length: 3000 }, (_, i) => xdsResource(ClusterSchema, create(ClusterSchema, { name: `c${String(i).padStart(5, '0')}` })));
const changed = (i: number, port: number): XdsResource =>
  xdsResource(ClusterSchema, create(ClusterSchema, { name: clusters[i]!.name, connectTimeout: { seconds: BigInt(port) } }));

describe('the resources of a type', () => {
  it('have a version that depends on content only, not on order or on the objects', () => {
    const shuffled = [...clusters].reverse();
    const copies = clusters.map((r) => ({ ...r }));
    const version = new Snapshot('1', clusters).typeVersion(CLUSTER_TYPE);
    expect(new Snapshot('2', shuffled).typeVersion(CLUSTER_TYPE)).toBe(version);
    expect(new Snapshot('3', copies).typeVersion(CLUSTER_TYPE)).toBe(version);
    expect(clusters.filter((r) => r.version.endsWith('00')).length).toBeGreaterThan(2);
  });

  it('change version when any one resource changes, is added or is removed', () => {
    const base = new Snapshot('1', clusters).typeVersion(CLUSTER_TYPE);
    const seen = new Set([base]);
    for (const i of [0, 1, 1500, 2999]) {
      const edited = new Snapshot(
        'e',
        clusters.map((r, j) => (j === i ? changed(i, 9) : r)),
      ).typeVersion(CLUSTER_TYPE);
      expect(seen.has(edited)).toBe(false);
      seen.add(edited);
      const removed = new Snapshot(
        'r',
        clusters.filter((_, j) => j !== i),
      ).typeVersion(CLUSTER_TYPE);
      expect(seen.has(removed)).toBe(false);
      seen.add(removed);
    }
    const added = xdsResource(ClusterSchema, create(ClusterSchema, { name: 'c01500x' }));
    expect(seen.has(new Snapshot('a', [...clusters, added]).typeVersion(CLUSTER_TYPE))).toBe(false);
    // Back to the original content: the original version.
    expect(
      new Snapshot(
        'b',
        clusters.map((r) => r),
      ).typeVersion(CLUSTER_TYPE),
    ).toBe(base);
  });

  it('are read by name and in name order, and refuse a name given twice in any order', () => {
    const set = new Snapshot('1', [clusters[2]!, clusters[0]!, clusters[1]!]).resources(CLUSTER_TYPE);
    expect([...set.keys()]).toEqual(['c00000', 'c00001', 'c00002']);
    expect([...set.values()].map((r) => r.name)).toEqual(['c00000', 'c00001', 'c00002']);
    expect(set.get('c00001')).toBe(clusters[1]);
    expect(set.has('c00003')).toBe(false);
    expect(set.size).toBe(3);
    const names: string[] = [];
    set.forEach((_, name) => names.push(name));
    expect(names).toEqual(['c00000', 'c00001', 'c00002']);
    let error: unknown;
    try {
      new Snapshot('2', [clusters[1]!, clusters[0]!, changed(1, 3)]);
    } catch (e) {
      error = e;
    }
    expect(isDuplicateResourceError(error) && error.message).toBe(`two ${CLUSTER_TYPE} resources are named "c00001"`);
  });
});

describe('a snapshot derived from the one before', () => {
  it('has the version a snapshot built from scratch with the same content has', () => {
    let current = clusters;
    new Snapshot('0', current);
    for (const [k, i] of [0, 7, 1500, 2999, 7].entries()) {
      current = current.map((r, j) => (j === i ? changed(i, 100 + k) : r));
      const derived = new Snapshot(`d${k}`, current).typeVersion(CLUSTER_TYPE);
      // Copies are other objects: nothing to derive from.
      expect(
        new Snapshot(
          `f${k}`,
          current.map((r) => ({ ...r })),
        ).typeVersion(CLUSTER_TYPE),
      ).toBe(derived);
    }
  });

  it('is still checked for consistency where it changed', () => {
    const eds = (name: string) =>
      xdsResource(ClusterSchema, create(ClusterSchema, { name, clusterDiscoveryType: { case: 'type', value: clusterPb.Cluster_DiscoveryType.EDS } }));
    const assignment = (name: string) => xdsResource(ClusterLoadAssignmentSchema, create(ClusterLoadAssignmentSchema, { clusterName: name }));
    const names = Array.from({ length: 40 }, (_, i) => `e${String(i).padStart(3, '0')}`);
    const edsClusters = names.map(eds);
    const assignments = names.map(assignment);
    const cache = new SnapshotCache();
    cache.setSnapshot('n', new Snapshot('1', [...edsClusters, ...assignments]));
    // An EDS cluster becomes a static one: its assignment is left without a cluster.
    const staticOne = xdsResource(ClusterSchema, create(ClusterSchema, { name: 'e005' }));
    expect(() => cache.setSnapshot('n', new Snapshot('2', [...edsClusters.map((c, i) => (i === 5 ? staticOne : c)), ...assignments]))).toThrow(
      'inconsistent snapshot: ClusterLoadAssignment "e005" belongs to no EDS cluster',
    );
    // An assignment's content changes, its name does not: still consistent.
    const edited = xdsResource(ClusterLoadAssignmentSchema, create(ClusterLoadAssignmentSchema, { clusterName: 'e009', endpoints: [{}] }));
    cache.setSnapshot('n', new Snapshot('3', [...edsClusters, ...assignments.map((a, i) => (i === 9 ? edited : a))]));
    expect(cache.getSnapshot('n')!.version).toBe('3');
  });
});
