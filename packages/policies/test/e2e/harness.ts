// A small Envoy harness for the policy end-to-end tests: a static bootstrap (listener → clusters the
// translation produced), Envoy started on free loopback ports, plain HTTP clients. The shared harness
// of the xDS-server work (@backendkit/testing/envoy) covers the same ground for ADS.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

const HINT = 'run `pnpm envoy:install` (or set ENVOY_BIN to an Envoy 1.40 binary)';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** ENVOY_BIN, else `.tools/envoy/envoy/_bin/envoy` in a parent folder, else `envoy` on the PATH. */
export function findEnvoy(): string | undefined {
  if (process.env.ENVOY_BIN) return executable(process.env.ENVOY_BIN) ? process.env.ENVOY_BIN : undefined;
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, '.tools', 'envoy', 'envoy', '_bin', 'envoy');
    if (executable(candidate)) return candidate;
  }
  return (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'envoy')).find(executable);
}

/** The binary, or (outside CI) undefined after one line saying how to get it; in CI a missing Envoy throws. */
export function envoyForTests(): string | undefined {
  const binary = findEnvoy();
  if (binary) return binary;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`Envoy is required when CI=true: ${HINT}`);
  process.stderr.write(`skipping Envoy end-to-end tests: ${HINT}\n`);
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export function httpGet(port: number, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}

export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-policy-e2e-'));
  const file = join(dir, 'bootstrap.json');
  writeFileSync(file, JSON.stringify(bootstrap));
  let output = '';
  const child: ChildProcess = spawn(envoy, ['-c', file, '--disable-hot-restart', '--log-level', 'warning'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('Envoy to be ready', async () => {
      if (child.exitCode !== null) throw new Error(`Envoy exited: ${output.slice(-2000)}`);
      const ready = await httpGet(admin, '/ready');
      return ready.status === 200 ? true : undefined;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    admin,
    stop,
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
      run('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256', '-extfile', `${who}.ext`, '-out', `${who}.crt`);
    }
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    return { ca: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
