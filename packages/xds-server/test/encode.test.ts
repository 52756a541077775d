import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { AnySchema, anyPack } from '@bufbuild/protobuf/wkt';
import { ClusterSchema } from '@backendkit/core/envoy';
import { discovery } from '@backendkit/xds-types';
import { CLUSTER_TYPE, ENDPOINT_TYPE, Snapshot, adsService, snapshotFromTranslation, xdsResource } from '@backendkit/xds-server';
import { encodeDeltaDiscoveryResponse, encodeDiscoveryResponse } from '../src/encode';
import { servicesYaml, translate } from './fixtures';

const snapshot = snapshotFromTranslation(translate(servicesYaml(['10.0.0.1', '10.0.0.2'])));
const clusters = [...snapshot.resources(CLUSTER_TYPE).values()];
const assignments = [...snapshot.resources(ENDPOINT_TYPE).values()];

describe('response encoding', () => {
  it('writes the bytes toBinary writes for a state-of-the-world response', () => {
    const responses = [
      create(discovery.DiscoveryResponseSchema, { versionInfo: 'v1', typeUrl: CLUSTER_TYPE, nonce: '7', resources: clusters.map((r) => r.any) }),
      create(discovery.DiscoveryResponseSchema, { typeUrl: ENDPOINT_TYPE, nonce: '8', canary: true, resources: assignments.map((r) => r.any) }),
      create(discovery.DiscoveryResponseSchema, { versionInfo: 'empty', typeUrl: 'type.googleapis.com/x.Unknown', nonce: '9' }),
      // An Any without a value, an empty one, and one with a long (multi-byte varint) body.
      create(discovery.DiscoveryResponseSchema, {
        versionInfo: 'v2',
        resources: [
          create(AnySchema, { typeUrl: 'type.googleapis.com/x.Empty' }),
          create(AnySchema, {}),
          anyPack(ClusterSchema, create(ClusterSchema, { name: 'x'.repeat(300) })),
        ],
        controlPlane: { identifier: 'backendkit' },
      }),
    ];
    for (const response of responses) {
      const fast = encodeDiscoveryResponse(response);
      expect(Buffer.from(fast).equals(Buffer.from(toBinary(discovery.DiscoveryResponseSchema, response)))).toBe(true);
    }
  });

  it('writes the bytes toBinary writes for a delta response, including resources it leaves to toBinary', () => {
    const response = create(discovery.DeltaDiscoveryResponseSchema, {
      systemVersionInfo: 'v3',
      typeUrl: CLUSTER_TYPE,
      nonce: '4',
      removedResources: ['gone'],
      resources: [
        ...clusters.map((r) => create(discovery.ResourceSchema, { name: r.name, version: r.version, resource: r.any })),
        create(discovery.ResourceSchema, { name: 'aliased', version: '1', aliases: ['a'], resource: clusters[0]!.any }),
        create(discovery.ResourceSchema, { name: 'no-body', version: '' }),
      ],
    });
    const fast = encodeDeltaDiscoveryResponse(response);
    expect(Buffer.from(fast).equals(Buffer.from(toBinary(discovery.DeltaDiscoveryResponseSchema, response)))).toBe(true);
  });

  it('splices the kept encoding of a set for a set derived from it, to the bytes toBinary writes', () => {
    const cluster = (i: number, seconds: number, stat = i * 3) =>
      xdsResource(
        ClusterSchema,
        create(ClusterSchema, { name: `s${String(i).padStart(3, '0')}`, connectTimeout: { seconds: BigInt(seconds) }, altStatName: 'x'.repeat(stat) }),
      );
    let resources = Array.from({ length: 60 }, (_, i) => cluster(i, 1));
    const check = () => {
      const set = new Snapshot('v', resources).resourceSet(CLUSTER_TYPE);
      const response = create(discovery.DiscoveryResponseSchema, { versionInfo: 'v', typeUrl: CLUSTER_TYPE, nonce: '1' });
      response.resources = set.anys() as typeof response.resources;
      expect(Buffer.from(encodeDiscoveryResponse(response)).equals(Buffer.from(toBinary(discovery.DiscoveryResponseSchema, response)))).toBe(true);
      return set;
    };
    check();
    // The middle, the last, one growing past a one-byte length, then two at once.
    for (const changes of [
      [[30, 2]],
      [[59, 3]],
      [[2, 4, 300]],
      [
        [10, 5],
        [11, 5],
      ],
    ]) {
      resources = resources.map((r, j) => {
        const change = changes.find(([i]) => i === j);
        return change ? cluster(j, change[1]!, change[2]) : r;
      });
      expect(check().derivation?.changed).toEqual(changes.map(([i]) => i));
    }
    // A new first resource: nothing to derive from, encoded afresh.
    resources = [cluster(0, 9), ...resources.slice(1)];
    expect(check().derivation).toBeUndefined();
  });

  it('is what the ADS service writes, and reads back as the same message', () => {
    const response = create(discovery.DiscoveryResponseSchema, { versionInfo: 'v1', typeUrl: CLUSTER_TYPE, nonce: '1', resources: clusters.map((r) => r.any) });
    const bytes = adsService.StreamAggregatedResources.responseSerialize(response);
    const back = fromBinary(discovery.DiscoveryResponseSchema, bytes);
    expect(back.resources.map((a) => Buffer.from(a.value).toString('hex'))).toEqual(clusters.map((r) => Buffer.from(r.any.value).toString('hex')));
    expect([back.versionInfo, back.typeUrl, back.nonce]).toEqual(['v1', CLUSTER_TYPE, '1']);
  });
});
