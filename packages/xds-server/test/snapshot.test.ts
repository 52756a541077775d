import { create } from '@bufbuild/protobuf';
import { type TranslationResult } from '@backendkit/core';
import { createDefaultTranslator } from '@backendkit/preset';
import { ClusterLoadAssignmentSchema, ClusterSchema } from '@backendkit/core/envoy';
import { cluster as clusterPb } from '@backendkit/xds-types';
import {
  CLUSTER_TYPE,
  ENDPOINT_TYPE,
  type InconsistentSnapshotError,
  isDuplicateResourceError,
  isInconsistentSnapshotError,
  isResourceNameError,
  Snapshot,
  SnapshotCache,
  snapshotFromTranslation,
  xdsResource,
} from '@backendkit/xds-server';
import { servicesYaml, translate } from './fixtures';

function edsCluster(name: string, serviceName = '') {
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: clusterPb.Cluster_DiscoveryType.EDS },
    edsClusterConfig: { serviceName },
  });
}

describe('snapshots', () => {
  it('version each type by content, not by identity', () => {
    const a = snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'])));
    const b = snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'])));
    const endpointsChanged = snapshotFromTranslation(translate(servicesYaml(['10.0.0.2'])));
    expect(b.typeVersion(CLUSTER_TYPE)).toBe(a.typeVersion(CLUSTER_TYPE));
    expect(b.typeVersion(ENDPOINT_TYPE)).toBe(a.typeVersion(ENDPOINT_TYPE));
    expect(b.version).toBe(a.version);
    expect(endpointsChanged.typeVersion(CLUSTER_TYPE)).toBe(a.typeVersion(CLUSTER_TYPE));
    expect(endpointsChanged.typeVersion(ENDPOINT_TYPE)).not.toBe(a.typeVersion(ENDPOINT_TYPE));
    expect(snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'])), { version: 'v7' }).version).toBe('v7');
  });

  it('of a re-translation (shared objects, derived sets) equal the snapshot of a fresh translation of the same input', () => {
    const translator = createDefaultTranslator();
    const text = (ip: string, host: string) => servicesYaml([ip, '10.0.0.9'], host);
    snapshotFromTranslation(translator.translateText(text('10.0.0.1', '192.0.2.1'), { file: 'input.yaml' }));
    for (const [ip, host] of [
      ['10.0.0.1', '192.0.2.2'],
      ['10.0.0.3', '192.0.2.2'],
      ['10.0.0.3', '192.0.2.1'],
    ]) {
      const again = snapshotFromTranslation(translator.translateText(text(ip!, host!), { file: 'input.yaml' }));
      const fresh = snapshotFromTranslation(translate(text(ip!, host!)));
      for (const type of [CLUSTER_TYPE, ENDPOINT_TYPE]) {
        expect(again.typeVersion(type)).toBe(fresh.typeVersion(type));
        expect([...again.resources(type).values()].map((r) => [r.name, r.version])).toEqual(
          [...fresh.resources(type).values()].map((r) => [r.name, r.version]),
        );
      }
    }
  });

  it('hold the resources of a translation sorted by name, plus extra ones of any type', () => {
    const result: Pick<TranslationResult, 'clusters' | 'assignments'> = translate(servicesYaml(['10.0.0.1']));
    const extra = {
      name: 'listener_0',
      typeUrl: 'type.googleapis.com/envoy.config.listener.v3.Listener',
      any: xdsResource(ClusterSchema, edsCluster('x')).any,
      version: '1',
    };
    const snapshot = snapshotFromTranslation(result, { resources: [extra] });
    expect([...snapshot.resources(CLUSTER_TYPE).keys()]).toEqual(['backend_default_web_0', 'kube_default_shop_8080']);
    expect([...snapshot.resources(ENDPOINT_TYPE).keys()]).toEqual(['kube_default_shop_8080']);
    expect(snapshot.types()).toContain(extra.typeUrl);
  });

  it('refuse two resources of one type with one name, and a resource without a name', () => {
    const one = xdsResource(ClusterSchema, edsCluster('same'));
    let error: unknown;
    try {
      new Snapshot('1', [one, one]);
    } catch (e) {
      error = e;
    }
    expect(isDuplicateResourceError(error) && error.message).toBe(`two ${CLUSTER_TYPE} resources are named "same"`);
    error = undefined;
    try {
      xdsResource(ClusterSchema, create(ClusterSchema, {}));
    } catch (e) {
      error = e;
    }
    expect(isResourceNameError(error) && error.message).toBe('a envoy.config.cluster.v3.Cluster resource needs a name');
  });
});

describe('the consistency check', () => {
  const assignment = (name: string) => xdsResource(ClusterLoadAssignmentSchema, create(ClusterLoadAssignmentSchema, { clusterName: name }));

  it('refuses an EDS cluster without its assignment and an assignment without its cluster, leaving the cache as it was', () => {
    const cache = new SnapshotCache();
    const good = new Snapshot('1', [xdsResource(ClusterSchema, edsCluster('a')), assignment('a')]);
    cache.setSnapshot('n', good);
    const bad = new Snapshot('2', [
      xdsResource(ClusterSchema, edsCluster('a')),
      xdsResource(ClusterSchema, edsCluster('b', 'svc-b')),
      assignment('a'),
      assignment('orphan'),
    ]);
    let error: unknown;
    try {
      cache.setSnapshot('n', bad);
    } catch (e) {
      error = e;
    }
    expect(isInconsistentSnapshotError(error)).toBe(true);
    expect((error as InconsistentSnapshotError).problems).toEqual([
      'EDS cluster "b" has no ClusterLoadAssignment "svc-b"',
      'ClusterLoadAssignment "orphan" belongs to no EDS cluster',
    ]);
    expect((error as Error).message).toBe(
      'inconsistent snapshot: EDS cluster "b" has no ClusterLoadAssignment "svc-b"; ClusterLoadAssignment "orphan" belongs to no EDS cluster',
    );
    expect(cache.getSnapshot('n')).toBe(good);
  });

  it('accepts the snapshot of any translation', () => {
    const cache = new SnapshotCache();
    cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1', '10.0.0.2']))));
    expect(cache.keys()).toEqual(['n']);
  });

  it('can be turned off', () => {
    const cache = new SnapshotCache({ allowInconsistent: true });
    const bad = new Snapshot('1', [xdsResource(ClusterSchema, edsCluster('a'))]);
    cache.setSnapshot('n', bad);
    expect(cache.getSnapshot('n')).toBe(bad);
  });
});
