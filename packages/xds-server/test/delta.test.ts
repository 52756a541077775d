import { create, fromBinary } from '@bufbuild/protobuf';
import { ClusterLoadAssignmentSchema, ClusterSchema } from '@backendkit/core/envoy';
import type { discovery } from '@backendkit/xds-types';
import { CLUSTER_TYPE, ENDPOINT_TYPE, Snapshot, XdsServer, snapshotFromTranslation, xdsResource, type XdsEvent } from '@backendkit/xds-server';
import { deltaRequest, TestAdsClient, waitForEvents, type DeltaStream } from './client';
import { servicesYaml, translate } from './fixtures';

const EDS_NAME = 'kube_default_shop_8080';

const names = (r: discovery.DeltaDiscoveryResponse) => r.resources.map((x) => x.name);
const ackOf = (r: discovery.DeltaDiscoveryResponse) => deltaRequest({ typeUrl: r.typeUrl, responseNonce: r.nonce });

describe('delta (incremental) ADS', () => {
  let server: XdsServer;
  let client: TestAdsClient;
  let events: XdsEvent[];
  let stream: DeltaStream;
  const kinds = (kind: XdsEvent['kind']) => events.filter((e) => e.kind === kind);

  beforeEach(async () => {
    server = new XdsServer();
    events = [];
    server.onEvent((e) => events.push(e));
    client = new TestAdsClient(await server.listen(0));
    stream = client.delta();
  });
  afterEach(async () => {
    stream.close();
    client.close();
    await server.close();
  });

  it('sends every cluster to a wildcard subscription, then only what changed, and removals', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.1'))));
    stream.send(deltaRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    const first = await stream.next();
    expect(names(first)).toEqual(['backend_default_web_0', EDS_NAME]);
    expect(first.resources.every((r) => r.version.length > 0)).toBe(true);
    stream.send(ackOf(first));
    await waitForEvents(() => kinds('ack').length === 1);

    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.2'))));
    const changed = await stream.next();
    expect({ names: names(changed), removed: changed.removedResources }).toEqual({ names: ['backend_default_web_0'], removed: [] });
    stream.send(ackOf(changed));
    await waitForEvents(() => kinds('ack').length === 2);

    // Only the Service left: the static Backend's cluster is removed.
    const onlyService = translate(servicesYaml(['10.0.0.1']));
    onlyService.clusters = onlyService.clusters.filter((c) => c.name === EDS_NAME);
    server.cache.setSnapshot('n', snapshotFromTranslation(onlyService));
    const removal = await stream.next();
    expect({ names: names(removal), removed: removal.removedResources }).toEqual({ names: [], removed: ['backend_default_web_0'] });
  });

  it('after Envoy ACKed a whole set, answers a snapshot derived from it with only the replaced clusters', async () => {
    const cluster = (name: string, seconds = 1) => xdsResource(ClusterSchema, create(ClusterSchema, { name, connectTimeout: { seconds: BigInt(seconds) } }));
    const a = Array.from({ length: 40 }, (_, i) => cluster(`c${String(i).padStart(3, '0')}`));
    server.cache.setSnapshot('n', new Snapshot('a', a));
    stream.send(deltaRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    const first = await stream.next();
    expect(first.resources).toHaveLength(40);
    stream.send(ackOf(first));
    await waitForEvents(() => kinds('ack').length === 1);
    const b = a.map((r, i) => (i === 5 ? cluster(r.name, 2) : r));
    server.cache.setSnapshot('n', new Snapshot('b', b));
    const second = await stream.next();
    expect({ names: names(second), removed: second.removedResources }).toEqual({ names: ['c005'], removed: [] });
    // Set while the response is in flight: answered once Envoy ACKs, against what it then has.
    const c = b.map((r, i) => (i === 7 ? cluster(r.name, 3) : r));
    server.cache.setSnapshot('n', new Snapshot('c', c));
    stream.send(ackOf(second));
    const third = await stream.next();
    expect({ names: names(third), versions: third.resources.map((r) => r.version) }).toEqual({ names: ['c007'], versions: [c[7]!.version] });
    stream.send(ackOf(third));
    await waitForEvents(() => kinds('ack').length === 3);
    // A removal is no derivation: the whole set is compared, and the name removed.
    server.cache.setSnapshot(
      'n',
      new Snapshot(
        'd',
        c.filter((_, i) => i !== 10),
      ),
    );
    const fourth = await stream.next();
    expect({ names: names(fourth), removed: fourth.removedResources }).toEqual({ names: [], removed: ['c010'] });
  });

  it('sends assignments for subscribed names, and stops after an unsubscribe', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1']))));
    stream.send(deltaRequest({ node: { id: 'n' }, typeUrl: ENDPOINT_TYPE, resourceNamesSubscribe: [EDS_NAME] }));
    const eds = await stream.next();
    expect(names(eds)).toEqual([EDS_NAME]);
    expect(fromBinary(ClusterLoadAssignmentSchema, eds.resources[0]!.resource!.value).clusterName).toBe(EDS_NAME);
    stream.send(ackOf(eds));
    stream.send(deltaRequest({ typeUrl: ENDPOINT_TYPE, resourceNamesUnsubscribe: [EDS_NAME] }));
    await waitForEvents(() => kinds('ack').length === 1);
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.2']))));
    expect(kinds('push')).toHaveLength(1);
  });

  it('sends nothing for resources Envoy already has (initial_resource_versions)', async () => {
    const snapshot = snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'])));
    server.cache.setSnapshot('n', snapshot);
    const have = Object.fromEntries([...snapshot.resources(CLUSTER_TYPE).values()].map((r) => [r.name, r.version]));
    have['gone_cluster'] = 'old';
    stream.send(deltaRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE, initialResourceVersions: have }));
    const response = await stream.next();
    expect({ names: names(response), removed: response.removedResources }).toEqual({ names: [], removed: ['gone_cluster'] });
  });

  it('reports a NACK, keeps what Envoy had, and sends the refused resources again only with new content', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.1'))));
    stream.send(deltaRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    stream.send(ackOf(await stream.next()));
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.2'))));
    const refused = await stream.next();
    stream.send(deltaRequest({ typeUrl: CLUSTER_TYPE, responseNonce: refused.nonce, errorDetail: { code: 13, message: 'cluster refused' } }));
    await waitForEvents(() => kinds('nack').length === 1);
    expect(kinds('nack')[0]).toMatchObject({ protocol: 'delta', version: refused.systemVersionInfo, errorDetail: { code: 13, message: 'cluster refused' } });
    expect(stream.queued()).toBe(0);
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.3'))));
    const next = await stream.next();
    expect(names(next)).toEqual(['backend_default_web_0']);
    expect(next.resources[0]!.version).not.toBe(refused.resources[0]!.version);
  });

  it('holds changes for a client that never ACKs', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.1'))));
    stream.send(deltaRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    const first = await stream.next();
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.2'))));
    expect(kinds('push')).toHaveLength(1);
    stream.send(ackOf(first));
    expect(names(await stream.next())).toEqual(['backend_default_web_0']);
  });

  it('answers an empty wildcard subscription once, so Envoy can finish warming', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation({ clusters: [], assignments: [] }));
    stream.send(deltaRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    const response = await stream.next();
    expect({ names: names(response), removed: response.removedResources }).toEqual({ names: [], removed: [] });
  });
});
