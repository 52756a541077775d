import { z } from 'zod';
import { createTranslator, definePlugin, formatDiagnostic, type BackendPlugin, type Fragment } from '@backendkit/core';
import { refusedAddress } from '@backendkit/core/helpers';

describe('refusedAddress', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['FEBF:ffff::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['0:0:0:0:0:ffff:0.0.0.0', 'unspecified'],
    ['localhost', 'loopback'],
    ['LOCALHOST.', 'loopback'],
    ['api.localhost', 'loopback'],
    ['localhost.localdomain', 'loopback'],
    ['ip6-localhost', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['127.1', 'loopback'],
    ['2130706433', 'loopback'],
    ['017700000001', 'loopback'],
    ['0xa9.0xfe.0xa9.0xfe', 'link-local'],
    ['metadata.google.internal', 'metadata-service'],
    ['fd00:ec2::254', 'metadata-service'],
    ['localhost4', 'loopback'],
    ['localhost6', 'loopback'],
    ['localhost4.localdomain4', 'loopback'],
    ['LOCALHOST6.localdomain6.', 'loopback'],
    ['metadata', 'metadata-service'],
    ['instance-data', 'metadata-service'],
    ['instance-data.ec2.internal', 'metadata-service'],
    ['100.100.100.200', 'metadata-service'],
    ['168.63.129.16', 'metadata-service'],
    ['::ffff:168.63.129.16', 'metadata-service'],
    ['::127.0.0.1', 'loopback'],
    ['::169.254.169.254', 'link-local'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::ffff:0:a9fe:a9fe', 'link-local'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:a9fe:a9fe::1', 'link-local'],
    ['2002:6464:64c8:1::5', 'metadata-service'],
  ])('%s is refused as %s', (host, kind) => {
    expect(refusedAddress(host)?.kind).toBe(kind);
  });

  test.each([
    '192.0.2.1',
    '10.0.0.1',
    '128.0.0.1',
    '126.255.255.255',
    '169.253.255.255',
    '169.255.0.1',
    '2001:db8::1',
    'fec0::1',
    'fe7f::1',
    '::2',
    '::ffff:192.0.2.1',
    'fd00:ec2::253',
    'example.com',
    'localhost.example.com',
    'mylocalhost',
    'metadata.example.com',
    'instance-data.example.com',
    '100.100.100.201',
    '168.63.129.17',
    '::192.0.2.1',
    '64:ff9b::192.0.2.1',
    '64:ff9b:1::7f00:1',
    '2002:c000:201::1',
    '1.2.3.256',
    '12345678901',
    '0x1ffffffff',
    '08.0.0.1',
  ])('%s is allowed', (host) => {
    expect(refusedAddress(host)).toBeUndefined();
  });

  test('messages say what the address is, why that matters and how to allow it', () => {
    expect(refusedAddress('127.0.0.1')?.message).toBe(
      '127.0.0.1 is a loopback address, which reaches the proxy itself (its admin port among others); refused unless the translator option allowLocalAddresses is set (CLI: --allow-local-addresses)',
    );
    expect(refusedAddress('169.254.169.254')?.message).toMatch(
      /^169\.254\.169\.254 is a link-local address, on the proxy's own network link, where cloud metadata services answer \(169\.254\.169\.254\); refused unless/,
    );
    expect(refusedAddress('::ffff:127.0.0.1')?.message).toMatch(/^::ffff:127\.0\.0\.1 is the IPv4-mapped form of 127\.0\.0\.1, a loopback address/);
    expect(refusedAddress('0x7f000001')?.message).toMatch(/^0x7f000001 is read by resolvers as 127\.0\.0\.1, a loopback address/);
    expect(refusedAddress('localhost')?.message).toMatch(/^localhost is a name of the local host, a loopback address/);
  });
});

const backend = (name: string) => ({
  apiVersion: 'gateway.kgateway.dev/v1alpha1',
  kind: 'Backend',
  metadata: { name, namespace: 'default' },
  spec: { toy: {} },
});

const lb = (address: string, port = 8080) => ({ endpoint: { address: { socketAddress: { address, portValue: port } } } });

/** A type plugin that returns a fixed fragment, to put any endpoint in front of core. */
function toy(fragment: Fragment): BackendPlugin {
  return definePlugin({ name: 'toy', key: 'toy', schema: z.strictObject({}), translate: () => structuredClone(fragment) });
}

function translate(fragment: Fragment, allowLocalAddresses?: boolean) {
  const plugin = toy(fragment);
  return createTranslator({ plugins: [plugin], ...(allowLocalAddresses === undefined ? {} : { allowLocalAddresses }) }).translate([backend('b')]);
}

describe("core's safety net for endpoints", () => {
  const eds: Fragment = {
    cluster: { type: 'EDS', edsClusterConfig: { edsConfig: { ads: {}, resourceApiVersion: 'V3' } } },
    assignment: {
      endpoints: [
        { locality: { zone: 'a' }, lbEndpoints: [lb('10.0.0.1'), lb('127.0.0.1'), lb('::1', 9000)] },
        { locality: { zone: 'b' }, lbEndpoints: [lb('169.254.169.254', 80)] },
        { locality: { zone: 'c' }, lbEndpoints: [] },
      ],
    },
  };

  test('discovered (EDS) endpoints with a refused address are left out with a warning; the rest stay', () => {
    const result = translate(eds);
    expect(result.clusters.map((c) => c.name)).toEqual(['backend_default_b_0']);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^warning: Backend default\/b: endpoint 127\.0\.0\.1:8080 left out: 127\.0\.0\.1 is a loopback address/),
      expect.stringMatching(/^warning: Backend default\/b: endpoint \[::1\]:9000 left out: ::1 is a loopback address/),
      expect.stringMatching(/^warning: Backend default\/b: endpoint 169\.254\.169\.254:80 left out: 169\.254\.169\.254 is a link-local address/),
    ]);
    expect(result.diagnostics.every((d) => d.code === 'refused-address' && d.plugin === '@backendkit/core')).toBe(true);
    // Zone b lost its only endpoint and goes; zone c was empty to begin with and stays.
    expect(result.assignments[0]).toEqual({
      clusterName: 'backend_default_b_0',
      endpoints: [{ locality: { zone: 'a' }, lbEndpoints: [lb('10.0.0.1')] }, { locality: { zone: 'c' } }],
    });
    expect(result.statuses[0]!.conditions[0]!.status).toBe('True');
  });

  test('an inline loadAssignment with a refused address is an error: no cluster', () => {
    const result = translate({
      cluster: { type: 'STATIC', loadAssignment: { endpoints: [{ lbEndpoints: [lb('192.0.2.1'), lb('0.0.0.0', 15000)] }] } },
    });
    expect(result.clusters).toEqual([]);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(
        /^error: Backend default\/b: endpoint 0\.0\.0\.0:15000 at cluster\.loadAssignment\.endpoints\[0\]\.lbEndpoints\[1\]\.endpoint\.address: 0\.0\.0\.0 is the unspecified address/,
      ),
    ]);
    expect(result.statuses[0]!.conditions[0]).toMatchObject({ status: 'False', reason: 'Invalid' });
  });

  test('names, extra addresses, health-check addresses and Unix sockets are screened too', () => {
    const endpoint = (extra: object) => ({ endpoint: { address: { socketAddress: { address: '192.0.2.1', portValue: 80 } }, ...extra } });
    const cases: Array<[object, RegExp]> = [
      [
        { address: { socketAddress: { address: 'localhost', portValue: 80 } } },
        /endpoint localhost:80 at cluster\.loadAssignment\.endpoints\[0\]\.lbEndpoints\[0\]\.endpoint\.address: localhost is a name of the local host/,
      ],
      [
        { additionalAddresses: [{ address: { socketAddress: { address: '127.0.0.2', portValue: 80 } } }] },
        /endpoint 127\.0\.0\.2:80 at cluster\.loadAssignment\.endpoints\[0\]\.lbEndpoints\[0\]\.endpoint\.additionalAddresses\[0\]\.address: /,
      ],
      [
        { healthCheckConfig: { address: { socketAddress: { address: '169.254.169.254', portValue: 80 } } } },
        /endpoint 169\.254\.169\.254:80 at cluster\.loadAssignment\.endpoints\[0\]\.lbEndpoints\[0\]\.endpoint\.healthCheckConfig\.address: /,
      ],
      [
        { address: { pipe: { path: '/var/run/envoy-admin.sock' } } },
        /endpoint unix:\/var\/run\/envoy-admin\.sock at cluster\.loadAssignment\.endpoints\[0\]\.lbEndpoints\[0\]\.endpoint\.address: a Unix socket is on the proxy's own host/,
      ],
    ];
    for (const [extra, message] of cases) {
      const result = translate({ cluster: { type: 'STATIC', loadAssignment: { endpoints: [{ lbEndpoints: [endpoint(extra)] }] } } });
      expect(result.clusters).toEqual([]);
      expect(result.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(message)]);
    }
  });

  test("a plugin's frozen endpoints are trimmed in a copy: the plugin's objects stay as they were", () => {
    const frozen = deepFreeze(structuredClone(eds.assignment!));
    const before = JSON.stringify(frozen);
    const plugin = definePlugin({ name: 'toy', key: 'toy', schema: z.strictObject({}), translate: () => ({ cluster: eds.cluster, assignment: frozen }) });
    const result = createTranslator({ plugins: [plugin] }).translate([backend('b')]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['refused-address', 'refused-address', 'refused-address']);
    expect(result.assignments[0]).toEqual({
      clusterName: 'backend_default_b_0',
      endpoints: [{ locality: { zone: 'a' }, lbEndpoints: [lb('10.0.0.1')] }, { locality: { zone: 'c' } }],
    });
    expect(JSON.stringify(frozen)).toBe(before);
  });

  test('allowLocalAddresses turns the net off', () => {
    const result = translate(eds, true);
    expect(result.diagnostics).toEqual([]);
    expect(result.assignments[0]!.endpoints?.map((l) => l.lbEndpoints?.length ?? 0)).toEqual([3, 1, 0]);
    const inline = translate({ cluster: { type: 'STATIC', loadAssignment: { endpoints: [{ lbEndpoints: [lb('127.0.0.1')] }] } } }, true);
    expect(inline.clusters).toHaveLength(1);
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
