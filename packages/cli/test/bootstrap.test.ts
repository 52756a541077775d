import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStrict } from '@backendkit/core/envoy';
import { envoyForTests, validateBootstrap } from '@backendkit/testing/envoy';
import { bootstrap } from '@backendkit/xds-types';
import { DEFAULT_SYSTEM_CA_BUNDLE } from '@backendkit/policies';
import { CLUSTER_HEADER } from '@backendkit/xds-server';
import { ROUTE_HEADER, SYSTEM_CA_BUNDLE } from '../src/commands/bootstrap';
import { cli } from './run-cli';

describe('backendkit bootstrap', () => {
  test('the help names the header the listener routes by, without loading the xDS server', async () => {
    expect(ROUTE_HEADER).toBe(CLUSTER_HEADER);
    expect(SYSTEM_CA_BUNDLE).toBe(DEFAULT_SYSTEM_CA_BUNDLE);
    const { code, stdout } = await cli(['help', 'bootstrap']);
    expect(code).toBe(0);
    expect(stdout).toContain(`\`${CLUSTER_HEADER}\` header`);
    expect(stdout).toContain(`(default\n                           ${DEFAULT_SYSTEM_CA_BUNDLE})`);
  });

  test('prints a bootstrap that takes CDS and EDS over ADS from the given server', async () => {
    const { code, stdout, stderr } = await cli(['bootstrap', '--xds-address', '10.1.2.3:18001', '--node-id', 'edge-1', '--admin-port', '9902']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const json = JSON.parse(stdout);
    expect(parseStrict(bootstrap.BootstrapSchema, json).ok).toBe(true);
    expect(json.node).toEqual({ id: 'edge-1', cluster: 'backendkit' });
    expect(json.admin.address.socketAddress).toEqual({ address: '127.0.0.1', portValue: 9902 });
    expect(json.dynamicResources.adsConfig).toEqual({
      apiType: 'GRPC',
      transportApiVersion: 'V3',
      grpcServices: [{ envoyGrpc: { clusterName: 'backendkit_xds' } }],
      setNodeOnFirstMessageOnly: true,
    });
    expect(json.dynamicResources.cdsConfig).toEqual({ ads: {}, resourceApiVersion: 'V3' });
    const xds = json.staticResources.clusters[0];
    expect([xds.name, xds.type, xds.loadAssignment.endpoints[0].lbEndpoints[0].endpoint.address.socketAddress]).toEqual([
      'backendkit_xds',
      'STATIC',
      { address: '10.1.2.3', portValue: 18001 },
    ]);
    const hcm = json.staticResources.listeners[0].filterChains[0].filters[0].typedConfig;
    expect(json.staticResources.listeners[0].address.socketAddress).toEqual({ address: '127.0.0.1', portValue: 10000 });
    expect(hcm.routeConfig.virtualHosts[0].routes[0].route).toEqual({ clusterHeader: 'x-backendkit-cluster' });
  });

  test('--delta asks for incremental xDS; a host name makes the xDS cluster STRICT_DNS; 0 leaves out the listener', async () => {
    const json = JSON.parse((await cli(['bootstrap', '--delta', '--xds-address', 'xds.internal:443', '--listener-port', '0'])).stdout);
    expect(json.dynamicResources.adsConfig.apiType).toBe('DELTA_GRPC');
    expect(json.staticResources.clusters[0].type).toBe('STRICT_DNS');
    expect(json.staticResources.listeners).toBeUndefined();
  });

  test.each([
    [['--xds-address', 'nope'], 'backendkit bootstrap: --xds-address: "nope" is not host:port (a port from 1 to 65535)'],
    [['--xds-address', 'h:70000'], 'backendkit bootstrap: --xds-address: "h:70000" is not host:port (a port from 1 to 65535)'],
    [['--admin-port', 'x'], 'backendkit bootstrap: --admin-port must be a port number from 0 to 65535, not "x"'],
    [['extra'], 'backendkit bootstrap: bootstrap takes no arguments, got "extra"'],
  ])('%j is a usage error', async (args, message) => {
    const { code, stdout, stderr } = await cli(['bootstrap', ...args]);
    expect({ code, stdout, line: stderr.split('\n')[0] }).toEqual({ code: 2, stdout: '', line: message });
  });

  test('holds the static SYSTEM_CA_CERT secret: the default bundle, --system-ca-bundle PATH, or none', async () => {
    const secrets = async (...args: string[]) => JSON.parse((await cli(['bootstrap', ...args])).stdout).staticResources.secrets;
    expect(await secrets()).toEqual([{ name: 'SYSTEM_CA_CERT', validationContext: { trustedCa: { filename: '/etc/ssl/certs/ca-certificates.crt' } } }]);
    expect(await secrets('--system-ca-bundle', '/etc/pki/tls/certs/ca-bundle.crt')).toEqual([
      { name: 'SYSTEM_CA_CERT', validationContext: { trustedCa: { filename: '/etc/pki/tls/certs/ca-bundle.crt' } } },
    ]);
    expect(await secrets('--system-ca-bundle', 'none')).toBeUndefined();
    const { code, stderr } = await cli(['bootstrap', '--system-ca-bundle', '']);
    expect({ code, line: stderr.split('\n')[0] }).toEqual({ code: 2, line: 'backendkit bootstrap: --system-ca-bundle must be a file path or none' });
  });
});

// Envoy is the judge: a BackendTLSPolicy `wellKnownCACertificates: System` cluster loads in the
// bootstrap `backendkit bootstrap` prints, and not without its secret.
const envoy = envoyForTests();
(envoy ? describe : describe.skip)('backendkit bootstrap in envoy --mode validate', () => {
  const golden = join(__dirname, '..', '..', 'policies', 'test', 'fixtures', 'backend-tls-policy.golden.json');
  const systemCaClusters = (JSON.parse(readFileSync(golden, 'utf8')) as { clusters: unknown[] }).clusters.filter((c) =>
    JSON.stringify(c).includes('"SYSTEM_CA_CERT"'),
  );

  test.each([
    [[], true],
    [['--system-ca-bundle', 'none'], false],
  ])(
    '%j: the system-CA clusters load: %s',
    async (args, loads) => {
      expect(systemCaClusters.length).toBeGreaterThan(0);
      const json = JSON.parse((await cli(['bootstrap', '--admin-port', '0', '--listener-port', '0', ...args])).stdout);
      json.staticResources.clusters.push(...systemCaClusters);
      const result = await validateBootstrap(envoy!, json);
      expect(result.ok).toBe(loads);
      if (!loads) expect(result.output).toContain('SYSTEM_CA_CERT');
    },
    30_000,
  );
});
