// The policy end-to-end tests' Envoy: a static bootstrap (one listener whose routes send `/<prefix>`
// to the clusters the translation produced, and the secrets they name), run with the shared harness
// of @backendkit/testing/envoy (docs/envoy.md), whose test PKI it also hands on. Only the bootstrap
// is this package's.
import { freePort, httpGet, makeTestPki, startEnvoy as startEnvoyProcess, type TestPki } from '@backendkit/testing/envoy';

export { envoyForTests, httpGet, waitFor } from '@backendkit/testing/envoy';

/** The shared test PKI, its subjects named `e2e`: the mTLS upstream answers with the client's name. */
export const makePki = (san: string): TestPki => makeTestPki(san, 'e2e');

export interface RunningEnvoy {
  port: number;
  admin: number;
  stop(): Promise<void>;
  stat(name: string): Promise<number>;
}

/** Envoy with one listener whose routes send `/<prefix>` to a cluster, plus the given clusters and secrets. */
export async function startEnvoy(envoy: string, routes: Record<string, string>, clusters: unknown[], secrets: unknown[]): Promise<RunningEnvoy> {
  const [port, admin] = [await freePort(), await freePort()];
  const hcm = {
    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    statPrefix: 'e2e',
    routeConfig: {
      virtualHosts: [
        { name: 'all', domains: ['*'], routes: Object.entries(routes).map(([prefix, cluster]) => ({ match: { prefix: `/${prefix}` }, route: { cluster } })) },
      ],
    },
    httpFilters: [{ name: 'envoy.filters.http.router', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
  };
  const bootstrap = {
    admin: { address: { socketAddress: { address: '127.0.0.1', portValue: admin } } },
    staticResources: {
      listeners: [
        {
          name: 'e2e',
          address: { socketAddress: { address: '127.0.0.1', portValue: port } },
          filterChains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typedConfig: hcm }] }],
        },
      ],
      clusters,
      secrets,
    },
  };
  const running = await startEnvoyProcess(envoy, bootstrap, admin);
  return {
    port,
    admin,
    stop: () => running.stop(),
    async stat(name) {
      const reply = await httpGet(admin, `/stats?filter=^${name.replace(/\./g, '\\.')}$`);
      const match = new RegExp(`${name.replace(/\./g, '\\.')}: (\\d+)`).exec(reply.body);
      return match ? Number(match[1]) : NaN;
    },
  };
}
