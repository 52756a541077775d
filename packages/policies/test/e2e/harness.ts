// The policy end-to-end tests' Envoy: a static bootstrap (one listener whose routes send `/<prefix>`
// to the clusters the translation produced, and the secrets they name), run with the shared harness
// of @backendkit/testing/envoy (docs/envoy.md). Only the bootstrap and the PKI are this package's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, httpGet, startEnvoy as startEnvoyProcess } from '@backendkit/testing/envoy';

export { envoyForTests, httpGet, waitFor } from '@backendkit/testing/envoy';

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

export interface TestPki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A CA, a server certificate for `san` and a client certificate, made with openssl for this run. */
export function makePki(san: string): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
    run('req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '2', '-subj', '/CN=e2e CA', '-out', 'ca.crt');
    for (const who of ['server', 'client']) {
      run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${who}.key`);
      run('req', '-new', '-key', `${who}.key`, '-subj', `/CN=e2e ${who}`, '-out', `${who}.csr`);
      writeFileSync(join(dir, `${who}.ext`), who === 'server' ? `subjectAltName=DNS:${san}\n` : 'extendedKeyUsage=clientAuth\n');
      run(
        'x509',
        '-req',
        '-in',
        `${who}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '2',
        '-sha256',
        '-extfile',
        `${who}.ext`,
        '-out',
        `${who}.crt`,
      );
    }
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    return { ca: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
