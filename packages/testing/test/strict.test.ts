import { AssertionError } from 'node:assert';
import { assertStrictEnvoy, checkEnvoyOutput } from '@backendkit/testing';

const TLS = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';

function messageOf(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AssertionError);
    return (error as AssertionError).message;
  }
  throw new Error('expected the call to fail');
}

describe('assertStrictEnvoy', () => {
  test('passes well-formed clusters and assignments', () => {
    expect(() =>
      assertStrictEnvoy({
        clusters: [
          {
            name: 'a',
            type: 'STATIC',
            connectTimeout: '5s',
            transportSocket: { name: 'envoy.transport_sockets.tls', typedConfig: { '@type': TLS, sni: 'a.example' } },
          },
        ],
        assignments: [
          { clusterName: 'a', endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '192.0.2.1', portValue: 80 } } } }] }] },
        ],
      }),
    ).not.toThrow();
  });

  test('an unknown field names the message type, the key and where it is', () => {
    const message = messageOf(() => assertStrictEnvoy({ clusters: [{ name: 'web', connectTimeout: '5s', conectTimeout: '1s' }] }));
    expect(message).toBe(
      'output is not strict Envoy configuration:\n' +
        '  clusters[0] (web): cannot decode message envoy.config.cluster.v3.Cluster from JSON: key "conectTimeout" is unknown (at conectTimeout)',
    );
  });

  test('a bad enum value names the enum, the value and where it is', () => {
    const message = messageOf(() => assertStrictEnvoy({ clusters: [{ name: 'web', type: 'STRICT_DNZ' }] }));
    expect(message).toContain('clusters[0] (web): cannot decode enum envoy.config.cluster.v3.Cluster.DiscoveryType from JSON: "STRICT_DNZ" (at type)');
  });

  test('an unknown field inside an Any names the packed type and the path into the Any', () => {
    const cluster = { name: 'web', transportSocket: { name: 'envoy.transport_sockets.tls', typedConfig: { '@type': TLS, sni: 'x', snii: 'y' } } };
    const message = messageOf(() => assertStrictEnvoy({ clusters: [cluster] }));
    expect(message).toContain(
      'clusters[0] (web): cannot decode message envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext from JSON: key "snii" is unknown (at transportSocket.typedConfig.snii)',
    );
  });

  test('an Any of an unknown type is reported', () => {
    const cluster = { name: 'web', typedExtensionProtocolOptions: { x: { '@type': 'type.googleapis.com/not.A.Type' } } };
    expect(messageOf(() => assertStrictEnvoy({ clusters: [cluster] }))).toContain('type.googleapis.com/not.A.Type is not in the type registry');
  });

  test('JSON that is valid but not canonical says what would change', () => {
    expect(checkEnvoyOutput({ clusters: [{ name: 'web', connectTimeout: '5.000s' }] })).toEqual([
      'clusters[0] (web): does not print back to the same JSON: at connectTimeout: "5.000s" became "5s"',
    ]);
  });

  test('every problem is listed, clusters and endpoints alike', () => {
    const problems = checkEnvoyOutput({
      clusters: [{ name: 'a', bogus: 1 }, { name: 'b' }, { name: 'c', lbPolicy: 'NOPE' }],
      assignments: [{ clusterName: 'a', endpoints: [{ lbEndpoints: [{ endpoint: { adress: {} } }] }] }],
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^clusters\[0\] \(a\): .*key "bogus" is unknown \(at bogus\)$/);
    expect(problems[1]).toMatch(/^clusters\[2\] \(c\): .*"NOPE" \(at lbPolicy\)$/);
    expect(problems[2]).toMatch(/^assignments\[0\] \(a\): .*key "adress" is unknown \(at endpoints\[0\]\.lbEndpoints\[0\]\.endpoint\.adress\)$/);
  });
});
