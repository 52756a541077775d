import { fromBinary } from '@bufbuild/protobuf';
import { ClusterLoadAssignmentSchema, ClusterSchema } from '@backendkit/core/envoy';
import { create } from '@bufbuild/protobuf';
import { listener, route, type discovery } from '@backendkit/xds-types';
import {
  CLUSTER_TYPE,
  ENDPOINT_TYPE,
  LISTENER_TYPE,
  ROUTE_TYPE,
  SnapshotCache,
  xdsResource,
  XdsServer,
  snapshotFromTranslation,
  type XdsEvent,
} from '@backendkit/xds-server';
import { ack, sotwRequest, TestAdsClient, waitForEvents, type SotwStream } from './client';
import { servicesYaml, translate } from './fixtures';

const EDS_NAME = 'kube_default_shop_8080';

function clusterNames(response: discovery.DiscoveryResponse): string[] {
  return response.resources.map((r) => fromBinary(ClusterSchema, r.value).name);
}

function assignmentAddresses(response: discovery.DiscoveryResponse): Record<string, string[]> {
  return Object.fromEntries(
    response.resources.map((r) => {
      const cla = fromBinary(ClusterLoadAssignmentSchema, r.value);
      const addresses = cla.endpoints.flatMap((l) =>
        l.lbEndpoints.map((e) => {
          const id = e.hostIdentifier;
          return id.case === 'endpoint' && id.value.address?.address.case === 'socketAddress' ? id.value.address.address.value.address : '?';
        }),
      );
      return [cla.clusterName, addresses];
    }),
  );
}

describe('state-of-the-world ADS', () => {
  let server: XdsServer;
  let client: TestAdsClient;
  let events: XdsEvent[];
  const streams: SotwStream[] = [];

  beforeEach(async () => {
    server = new XdsServer();
    events = [];
    server.onEvent((e) => events.push(e));
    client = new TestAdsClient(await server.listen(0));
  });
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    client.close();
    await server.close();
  });
  function open(): SotwStream {
    const stream = client.sotw();
    streams.push(stream);
    return stream;
  }
  const kinds = (kind: XdsEvent['kind']) => events.filter((e) => e.kind === kind);

  it('answers CDS (wildcard) and EDS (the names asked for), then takes the ACKs', async () => {
    server.cache.setSnapshot('envoy-1', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1', '10.0.0.2']))));
    const stream = open();
    stream.send(sotwRequest({ node: { id: 'envoy-1' }, typeUrl: CLUSTER_TYPE }));
    const cds = await stream.next();
    expect(cds.typeUrl).toBe(CLUSTER_TYPE);
    expect(clusterNames(cds)).toEqual(['backend_default_web_0', EDS_NAME]);
    expect(cds.nonce).not.toBe('');
    stream.send(ack(cds));
    stream.send(sotwRequest({ typeUrl: ENDPOINT_TYPE, resourceNames: [EDS_NAME] }));
    const eds = await stream.next();
    expect(assignmentAddresses(eds)).toEqual({ [EDS_NAME]: ['10.0.0.1', '10.0.0.2'] });
    stream.send(ack(eds, [EDS_NAME]));
    await waitForEvents(() => kinds('ack').length === 2);
    expect(kinds('ack').map((e) => e.kind === 'ack' && [e.typeUrl, e.version, e.nodeId])).toEqual([
      [CLUSTER_TYPE, cds.versionInfo, 'envoy-1'],
      [ENDPOINT_TYPE, eds.versionInfo, 'envoy-1'],
    ]);
  });

  it('answers EDS for subscribed names only, and again when the names change', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1']))));
    const stream = open();
    stream.send(sotwRequest({ node: { id: 'n' }, typeUrl: ENDPOINT_TYPE, resourceNames: ['not_there'] }));
    const none = await stream.next();
    expect(none.resources).toHaveLength(0);
    stream.send(ack(none, ['not_there', EDS_NAME]));
    const some = await stream.next();
    expect(assignmentAddresses(some)).toEqual({ [EDS_NAME]: ['10.0.0.1'] });
    expect(some.versionInfo).toBe(none.versionInfo);
  });

  it('after a re-translation where only endpoints changed, pushes only EDS', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1']))));
    const stream = open();
    stream.send(sotwRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    const cds = await stream.next();
    stream.send(ack(cds));
    stream.send(sotwRequest({ typeUrl: ENDPOINT_TYPE, resourceNames: [EDS_NAME] }));
    const eds = await stream.next();
    stream.send(ack(eds, [EDS_NAME]));
    await waitForEvents(() => kinds('ack').length === 2);
    events.length = 0;
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1', '10.0.0.3']))));
    expect(kinds('push').map((e) => e.kind === 'push' && e.typeUrl)).toEqual([ENDPOINT_TYPE]);
    const update = await stream.next();
    expect(assignmentAddresses(update)).toEqual({ [EDS_NAME]: ['10.0.0.1', '10.0.0.3'] });
    expect(update.versionInfo).not.toBe(eds.versionInfo);
  });

  it('pushes CDS before EDS when both change', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1']))));
    const stream = open();
    // Subscribe EDS first: the push order still puts clusters first.
    stream.send(sotwRequest({ node: { id: 'n' }, typeUrl: ENDPOINT_TYPE, resourceNames: [EDS_NAME] }));
    stream.send(ack(await stream.next(), [EDS_NAME]));
    stream.send(sotwRequest({ typeUrl: CLUSTER_TYPE }));
    stream.send(ack(await stream.next()));
    await waitForEvents(() => kinds('ack').length === 2);
    events.length = 0;
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.9'], '192.0.2.99'))));
    expect(kinds('push').map((e) => e.kind === 'push' && e.typeUrl)).toEqual([CLUSTER_TYPE, ENDPOINT_TYPE]);
    expect((await stream.next()).typeUrl).toBe(CLUSTER_TYPE);
    expect((await stream.next()).typeUrl).toBe(ENDPOINT_TYPE);
  });

  it('reports a NACK with the error detail, does not resend the refused version, and sends the next one', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1']))));
    const stream = open();
    stream.send(sotwRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    const first = await stream.next();
    stream.send(ack(first));
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.77'))));
    const refused = await stream.next();
    stream.send(
      sotwRequest({
        typeUrl: CLUSTER_TYPE,
        versionInfo: first.versionInfo,
        responseNonce: refused.nonce,
        errorDetail: { code: 3, message: 'Proto constraint validation failed: bad cluster' },
      }),
    );
    await waitForEvents(() => kinds('nack').length === 1);
    expect(kinds('nack')[0]).toMatchObject({
      kind: 'nack',
      typeUrl: CLUSTER_TYPE,
      version: refused.versionInfo,
      nonce: refused.nonce,
      nodeId: 'n',
      errorDetail: { code: 3, message: 'Proto constraint validation failed: bad cluster' },
    });
    expect(kinds('push')).toHaveLength(2);
    expect(stream.queued()).toBe(0);
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.78'))));
    const next = await stream.next();
    expect(next.versionInfo).not.toBe(refused.versionInfo);
    expect(next.versionInfo).not.toBe(first.versionInfo);
  });

  it('holds pushes for a client that never ACKs, and sends the latest once it does', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.1'))));
    const stream = open();
    stream.send(sotwRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    const first = await stream.next();
    for (const host of ['192.0.2.2', '192.0.2.3', '192.0.2.4']) {
      server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], host))));
    }
    expect(kinds('push')).toHaveLength(1);
    const latest = server.cache.getSnapshot('n')!.typeVersion(CLUSTER_TYPE);
    stream.send(ack(first));
    const next = await stream.next();
    expect(next.versionInfo).toBe(latest);
    expect(kinds('push')).toHaveLength(2);
  });

  it('ignores a request carrying an old nonce', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.1'))));
    const stream = open();
    stream.send(sotwRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    const first = await stream.next();
    stream.send(ack(first));
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.2'))));
    const second = await stream.next();
    stream.send(ack(first)); // stale: neither an ACK of the second response nor a new subscription
    stream.send(ack(second));
    await waitForEvents(() => kinds('ack').length === 2);
    expect(kinds('ack').map((e) => e.kind === 'ack' && e.nonce)).toEqual([first.nonce, second.nonce]);
  });

  it('serves any type URL: resources of a type the snapshot holds, an empty set for one it does not', async () => {
    const other = 'type.googleapis.com/example.v1.Unknown';
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1']))));
    const stream = open();
    stream.send(sotwRequest({ node: { id: 'n' }, typeUrl: other, resourceNames: ['x'] }));
    const empty = await stream.next();
    expect({ typeUrl: empty.typeUrl, resources: empty.resources.length, version: empty.versionInfo }).toEqual({
      typeUrl: other,
      resources: 0,
      version: 'empty',
    });
    stream.send(sotwRequest({ typeUrl: CLUSTER_TYPE }));
    expect(clusterNames(await stream.next())).toHaveLength(2);
  });

  it('serves the listeners and routes a user adds next to the translation', async () => {
    const extra = [
      xdsResource(listener.ListenerSchema, create(listener.ListenerSchema, { name: 'listener_0' })),
      xdsResource(route.RouteConfigurationSchema, create(route.RouteConfigurationSchema, { name: 'route_0' })),
      xdsResource(route.RouteConfigurationSchema, create(route.RouteConfigurationSchema, { name: 'route_1' })),
    ];
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'])), { resources: extra }));
    const stream = open();
    stream.send(sotwRequest({ node: { id: 'n' }, typeUrl: LISTENER_TYPE }));
    const lds = await stream.next();
    expect(lds.resources.map((r) => fromBinary(listener.ListenerSchema, r.value).name)).toEqual(['listener_0']);
    stream.send(sotwRequest({ typeUrl: ROUTE_TYPE, resourceNames: ['route_1'] }));
    const rds = await stream.next();
    expect([rds.typeUrl, rds.resources.map((r) => fromBinary(route.RouteConfigurationSchema, r.value).name)]).toEqual([ROUTE_TYPE, ['route_1']]);
  });

  it('serves a new stream after a reconnect from the start', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1']))));
    const first = open();
    first.send(sotwRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    const before = await first.next();
    first.send(ack(before));
    first.close();
    await waitForEvents(() => kinds('stream-close').length === 1);
    expect(server.streamCount()).toBe(0);
    const second = open();
    second.send(sotwRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE, versionInfo: before.versionInfo }));
    const after = await second.next();
    expect(clusterNames(after)).toEqual(clusterNames(before));
    expect(after.versionInfo).toBe(before.versionInfo);
    expect(kinds('stream-open').map((e) => e.stream)).toEqual([1, 2]);
  });

  it('waits for a snapshot for a node that has none yet', async () => {
    const stream = open();
    stream.send(sotwRequest({ node: { id: 'late' }, typeUrl: CLUSTER_TYPE }));
    await waitForEvents(() => kinds('stream-open').length === 1);
    expect(kinds('push')).toHaveLength(0);
    server.cache.setSnapshot('late', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1']))));
    expect(clusterNames(await stream.next())).toHaveLength(2);
  });

  it('closes streams on shutdown', async () => {
    server.cache.setSnapshot('n', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1']))));
    const stream = open();
    stream.send(sotwRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    await stream.next();
    await server.close();
    expect((await stream.ended).code).toBe(0);
    expect(kinds('stream-close')).toHaveLength(1);
  });
});

describe('several nodes', () => {
  it('serves each node its own snapshot, or a group its shared one', async () => {
    const cache = new SnapshotCache({ nodeKey: (node) => node?.cluster || node?.id || '' });
    const server = new XdsServer({ cache });
    const client = new TestAdsClient(await server.listen(0));
    try {
      cache.setSnapshot('edge', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.1'))));
      cache.setSnapshot('solo', snapshotFromTranslation(translate(servicesYaml(['10.0.0.1'], '192.0.2.2'))));
      const versions = await Promise.all(
        [{ id: 'a', cluster: 'edge' }, { id: 'b', cluster: 'edge' }, { id: 'solo' }].map(async (node) => {
          const stream = client.sotw();
          stream.send(sotwRequest({ node, typeUrl: CLUSTER_TYPE }));
          const response = await stream.next();
          stream.close();
          return response.versionInfo;
        }),
      );
      expect(versions[0]).toBe(versions[1]);
      expect(versions[2]).not.toBe(versions[0]);
      expect(versions[0]).toBe(cache.getSnapshot('edge')!.typeVersion(CLUSTER_TYPE));
    } finally {
      client.close();
      await server.close();
    }
  });
});
