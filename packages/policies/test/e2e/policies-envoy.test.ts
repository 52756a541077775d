import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { systemCaSecret } from '@backendkit/policies';
import { runTranslation } from '@backendkit/testing';
import { testPlugins } from '../plugins';
import { envoyForTests, httpGet, makePki, startEnvoy, waitFor, type RunningEnvoy } from './harness';

// Real Envoy 1.40 in front of local upstreams: the policies' clusters doing what they say
// (docs/backend-config-policy.md, docs/backend-tls-policy.md).
const envoy = envoyForTests();
const maybe = envoy ? describe : describe.skip;
jest.setTimeout(60_000);

const SAN = 'upstream.e2e.test';
const indent = (pem: string) => pem.trimEnd().replace(/\n/g, '\n    ');

function backend(name: string, port: number): string {
  return `apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: ${name}, namespace: e2e}
spec:
  static:
    hosts: [{host: 127.0.0.1, port: ${port}}]
---
`;
}

/** Translates the input (loopback upstreams allowed) and returns its clusters; any error fails. */
function clusters(text: string): unknown[] {
  const { result, output } = runTranslation(text, { plugins: testPlugins(), allowLocalAddresses: true });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  return output.clusters;
}

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function close(server: { close(cb: () => void): unknown; closeAllConnections?: () => void }): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

const ok = (body: string) => (_req: IncomingMessage, res: ServerResponse) => res.end(body);

maybe('policies in a real Envoy', () => {
  const pki = makePki(SAN);
  let running: RunningEnvoy | undefined;
  const servers: Array<{ close(cb: () => void): unknown }> = [];
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await Promise.all(servers.splice(0).map((s) => close(s)));
  });

  test('BackendTLSPolicy: Envoy verifies the self-signed CA and the SAN; a wrong hostname fails the request', async () => {
    const https = createHttpsServer({ key: pki.serverKey, cert: pki.serverCert }, ok('tls ok'));
    servers.push(https);
    const port = await listen(https);
    const text = `${backend('good', port)}${backend('wrong', port)}apiVersion: v1
kind: ConfigMap
metadata: {name: ca, namespace: e2e}
data:
  ca.crt: |
    ${indent(pki.ca)}
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: good, namespace: e2e}
spec:
  targetRefs: [{group: gateway.kgateway.dev, kind: Backend, name: good}]
  validation: {caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}], hostname: ${SAN}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: wrong, namespace: e2e}
spec:
  targetRefs: [{group: gateway.kgateway.dev, kind: Backend, name: wrong}]
  validation: {caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}], hostname: other.e2e.test}
`;
    running = await startEnvoy(envoy!, { good: 'backend_e2e_good_0', wrong: 'backend_e2e_wrong_0' }, clusters(text), [systemCaSecret()]);
    expect(await httpGet(running.port, '/good')).toMatchObject({ status: 200, body: 'tls ok' });
    expect((await httpGet(running.port, '/wrong')).status).toBe(503);
    expect(await running.stat('cluster.backend_e2e_wrong_0.ssl.fail_verify_san')).toBeGreaterThan(0);
  });

  test('BackendConfigPolicy mTLS: the upstream that requires a client certificate gets one; simpleTLS sends none', async () => {
    const https = createHttpsServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (req, res) =>
      res.end(`hello ${(req.socket as TLSSocket).getPeerCertificate().subject?.CN}`),
    );
    servers.push(https);
    const port = await listen(https);
    const text = `${backend('mtls', port)}${backend('simple', port)}apiVersion: v1
kind: Secret
metadata: {name: client, namespace: e2e}
stringData:
  tls.crt: |
    ${indent(pki.clientCert)}
  tls.key: |
    ${indent(pki.clientKey)}
  ca.crt: |
    ${indent(pki.ca)}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: BackendConfigPolicy
metadata: {name: mtls, namespace: e2e}
spec:
  targetRefs: [{group: gateway.kgateway.dev, kind: Backend, name: mtls}]
  tls: {secretRef: {name: client}, sni: ${SAN}, verifySubjectAltNames: [${SAN}]}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: BackendConfigPolicy
metadata: {name: simple, namespace: e2e}
spec:
  targetRefs: [{group: gateway.kgateway.dev, kind: Backend, name: simple}]
  tls: {secretRef: {name: client}, sni: ${SAN}, simpleTLS: true}
`;
    running = await startEnvoy(envoy!, { mtls: 'backend_e2e_mtls_0', simple: 'backend_e2e_simple_0' }, clusters(text), []);
    expect(await httpGet(running.port, '/mtls')).toMatchObject({ status: 200, body: 'hello e2e client' });
    expect((await httpGet(running.port, '/simple')).status).toBe(503);
  });

  test('healthCheck: an endpoint whose health check starts failing is ejected', async () => {
    let bFails = false;
    const serve = (name: string, fails: () => boolean) =>
      createHttpServer((req, res) => {
        if (req.url === '/healthz') {
          res.statusCode = fails() ? 503 : 200;
          return res.end();
        }
        res.end(name);
      });
    const a = serve('a', () => false);
    const b = serve('b', () => bFails);
    servers.push(a, b);
    const [pa, pb] = [await listen(a), await listen(b)];
    const text = `apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: pool, namespace: e2e}
spec:
  static:
    hosts: [{host: 127.0.0.1, port: ${pa}}, {host: 127.0.0.1, port: ${pb}}]
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: BackendConfigPolicy
metadata: {name: hc, namespace: e2e}
spec:
  targetRefs: [{group: gateway.kgateway.dev, kind: Backend, name: pool}]
  healthCheck: {timeout: 1s, interval: 100ms, unhealthyThreshold: 1, healthyThreshold: 1, http: {path: /healthz}}
`;
    // Envoy checks a cluster that has had no traffic yet every 60 s (noTrafficInterval, which the
    // policy does not set, as in kgateway); the test shortens it so the ejection shows in time.
    const [pool] = clusters(text) as Array<{ healthChecks: Array<Record<string, unknown>> }>;
    pool!.healthChecks[0]!.noTrafficInterval = '0.1s';
    running = await startEnvoy(envoy!, { '': 'backend_e2e_pool_0' }, [pool], []);
    const seen = async (n: number) => {
      const names = new Set<string>();
      for (let i = 0; i < n; i++) names.add((await httpGet(running!.port, '/')).body);
      return names;
    };
    await waitFor('both endpoints to serve', async () => ((await seen(20)).size === 2 ? true : undefined));
    bFails = true;
    await waitFor('the failing endpoint to be ejected', async () => (await running!.stat('cluster.backend_e2e_pool_0.membership_healthy')) === 1 || undefined);
    expect([...(await seen(20))]).toEqual(['a']);
  });

  test('circuitBreakers: with one connection and one pending request, concurrent requests overflow', async () => {
    const slow = createHttpServer((_req, res) => setTimeout(() => res.end('slow'), 500));
    servers.push(slow);
    const port = await listen(slow);
    const text = `${backend('narrow', port)}apiVersion: gateway.kgateway.dev/v1alpha1
kind: BackendConfigPolicy
metadata: {name: cb, namespace: e2e}
spec:
  targetRefs: [{group: gateway.kgateway.dev, kind: Backend, name: narrow}]
  circuitBreakers: {maxConnections: 1, maxPendingRequests: 1}
`;
    running = await startEnvoy(envoy!, { '': 'backend_e2e_narrow_0' }, clusters(text), []);
    const replies = await Promise.all(Array.from({ length: 6 }, () => httpGet(running!.port, '/')));
    const rejected = replies.filter((r) => r.status === 503);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((r) => r.headers['x-envoy-overloaded'] === 'true')).toBe(true);
    expect(replies.some((r) => r.status === 200)).toBe(true);
    expect(await running.stat('cluster.backend_e2e_narrow_0.upstream_rq_pending_overflow')).toBeGreaterThan(0);
  });

  test('upstreamProxyProtocol wraps TLS: the upstream reads the PROXY header, then speaks TLS', async () => {
    const headers: string[] = [];
    const http = createHttpServer(ok('behind proxy protocol'));
    const tcp = createTcpServer((socket: Socket) => {
      // Envoy resets its upstream connections when the test stops it: not a failure of this test.
      socket.on('error', () => socket.destroy());
      let buffered = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        const end = buffered.indexOf('\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        headers.push(buffered.subarray(0, end).toString());
        // TLS over the rest of the stream: a JS stream, so the bytes after the header are not lost.
        const rest = new Duplex({
          read() {},
          write(chunk: Buffer, _encoding, done) {
            socket.write(chunk, done);
          },
          final(done) {
            socket.end();
            done();
          },
        });
        rest.push(buffered.subarray(end + 2));
        socket.on('data', (more: Buffer) => rest.push(more));
        socket.on('end', () => rest.push(null));
        socket.on('close', () => rest.destroy());
        http.emit('connection', new TLSSocket(rest, { isServer: true, key: pki.serverKey, cert: pki.serverCert }));
      };
      socket.on('data', onData);
    });
    servers.push(tcp, http);
    const port = await listen(tcp);
    const text = `${backend('wrapped', port)}apiVersion: gateway.kgateway.dev/v1alpha1
kind: BackendConfigPolicy
metadata: {name: pp, namespace: e2e}
spec:
  targetRefs: [{group: gateway.kgateway.dev, kind: Backend, name: wrapped}]
  upstreamProxyProtocol: {}
  tls: {insecureSkipVerify: true, sni: ${SAN}}
`;
    running = await startEnvoy(envoy!, { '': 'backend_e2e_wrapped_0' }, clusters(text), []);
    expect(await httpGet(running.port, '/')).toMatchObject({ status: 200, body: 'behind proxy protocol' });
    expect(headers[0]).toMatch(/^PROXY TCP4 127\.0\.0\.1 127\.0\.0\.1 \d+ \d+$/);
  });
});
