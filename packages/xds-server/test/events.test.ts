import { formatEvent, type XdsEvent } from '@backendkit/xds-server';

const base = { stream: 3, protocol: 'delta', nodeId: 'edge-1', nodeKey: 'served' } as const;
const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';

describe('formatEvent: one line per event, as backendkit serve logs them', () => {
  it.each<[XdsEvent, string]>([
    [{ kind: 'stream-open', ...base }, 'stream open node="edge-1" stream=3 delta'],
    [{ kind: 'stream-close', ...base }, 'stream closed node="edge-1" stream=3 delta'],
    [
      { kind: 'push', ...base, typeUrl: CDS, version: 'v1', nonce: '7', resources: ['a', 'b'], removed: ['c'] },
      'push envoy.config.cluster.v3.Cluster version=v1 resources=2 removed=1 nonce=7 node="edge-1" stream=3 delta',
    ],
    [{ kind: 'ack', ...base, typeUrl: CDS, version: 'v1', nonce: '7' }, 'ACK envoy.config.cluster.v3.Cluster version=v1 nonce=7 node="edge-1" stream=3 delta'],
    [
      { kind: 'nack', ...base, typeUrl: CDS, version: 'v2', nonce: '8', errorDetail: { code: 13, message: 'Error adding cluster a:\n  bad\n  field ' } },
      'NACK envoy.config.cluster.v3.Cluster version=v2 nonce=8 node="edge-1" stream=3 delta: Error adding cluster a: bad field',
    ],
  ])('%j', (event, line) => {
    expect(formatEvent(event)).toBe(line);
  });
});
