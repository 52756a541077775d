import { parseStrict } from '@backendkit/core/envoy';
import { bootstrap } from '@backendkit/xds-types';
import { CLUSTER_HEADER } from '@backendkit/xds-server';
import { ROUTE_HEADER } from '../src/commands/bootstrap';
import { cli } from './run-cli';

describe('backendkit bootstrap', () => {
  test('the help names the header the listener routes by, without loading the xDS server', async () => {
    expect(ROUTE_HEADER).toBe(CLUSTER_HEADER);
    const { code, stdout } = await cli(['help', 'bootstrap']);
    expect(code).toBe(0);
    expect(stdout).toContain(`\`${CLUSTER_HEADER}\` header`);
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
});
