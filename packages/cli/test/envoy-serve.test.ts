// The README's third command, end to end: `backendkit serve … --watch` in a process of its own,
// Envoy started on `backendkit bootstrap`'s output, a request routed to a local upstream, and an
// edit of the input file moving the traffic (docs/cli.md).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { envoyForTests, freePort, httpGet, startEnvoy, waitFor, type EnvoyProcess } from '@backendkit/testing/envoy';
import { startUpstream, type Upstream } from '../../xds-server/test/envoy/harness';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'packages', 'cli', 'src', 'bin.ts');
const envoy = envoyForTests();

const backend = (upstream: Upstream) => `apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: local, namespace: default}
spec:
  static:
    hosts: [{host: 127.0.0.1, port: ${upstream.port}}]
`;

(envoy ? describe : describe.skip)('backendkit serve + backendkit bootstrap + Envoy', () => {
  let dir: string;
  let serve: ChildProcess | undefined;
  let proxy: EnvoyProcess | undefined;
  let log = '';
  const upstreams: Upstream[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'backendkit-e2e-'));
  });
  afterAll(async () => {
    await proxy?.stop();
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve!.once('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    await Promise.all(upstreams.map((u) => u.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('routes a request to a local upstream, and follows an edit of the input', async () => {
    const [first, second] = [await startUpstream('first'), await startUpstream('second')];
    upstreams.push(first, second);
    writeFileSync(join(dir, 'local.yaml'), backend(first));
    const [xdsPort, adminPort, listenerPort] = [await freePort(), await freePort(), await freePort()];

    serve = spawn(process.execPath, ['--import', 'tsx', bin, 'serve', dir, '--allow-local-addresses', '--watch', '--port', String(xdsPort)], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    serve.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        bin,
        'bootstrap',
        '--xds-address',
        `127.0.0.1:${xdsPort}`,
        '--admin-port',
        String(adminPort),
        '--listener-port',
        String(listenerPort),
      ],
      { cwd: root },
    );
    await waitFor('serve to listen', async () => (log.includes(`serving ADS on 127.0.0.1:${xdsPort} to every node`) ? true : undefined), 20_000);
    proxy = await startEnvoy(envoy!, JSON.parse(stdout), adminPort);

    // Envoy routes with a cluster before its ACK reaches the server's log: wait for the line.
    const acked = (nonce: number) =>
      waitFor(`the ACK of nonce ${nonce} in the log`, async () =>
        new RegExp(`^ACK envoy\\.config\\.cluster\\.v3\\.Cluster version=[0-9a-f]{16} nonce=${nonce} node="backendkit" stream=1 sotw$`, 'm').test(log)
          ? true
          : undefined,
      );
    const servedBy = async (name: string) =>
      waitFor(`a request to reach ${name}`, async () => {
        const res = await httpGet(listenerPort, '/hello', { 'x-backendkit-cluster': 'backend_default_local_0' });
        return res.status === 200 && JSON.parse(res.body).upstream === name ? res : undefined;
      });
    expect(JSON.parse((await servedBy('first')).body)).toEqual({ upstream: 'first', httpVersion: '1.1', path: '/hello' });
    await acked(1);

    writeFileSync(join(dir, 'local.yaml'), backend(second));
    await servedBy('second');
    expect(log).toContain('translation 2: 1 clusters, 0 assignments');
    await acked(2);

    // Without the header, or with a name Envoy has no cluster for, there is no upstream.
    expect((await httpGet(listenerPort, '/')).status).toBe(503);
    expect((await httpGet(listenerPort, '/', { 'x-backendkit-cluster': 'no_such_cluster' })).status).toBe(503);
  }, 60_000);
});
