// The system CA over SDS through a real Envoy 1.40 (docs/xds-server.md, "SDS: the system CA"): a
// BackendTLSPolicy `wellKnownCACertificates: System` cluster reaches an HTTPS upstream through the
// `SYSTEM_CA_CERT` secret the xDS server serves, and the bootstrap's static secret of the same
// name answers only for clusters left without an `sdsConfig`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDefaultTranslator } from '@backendkit/preset';
import { envoyForTests, makeTestPki, waitFor } from '@backendkit/testing/envoy';
import { SECRET_TYPE, SYSTEM_CA_SECRET_NAME, snapshotFromTranslation, type SnapshotFromTranslationOptions } from '@backendkit/xds-server';
import { systemCaBackendYaml } from '../fixtures';
import { startHarness, type Harness } from './harness';

const envoy = envoyForTests();
jest.setTimeout(90_000);

const SAN = 'upstream.sds.test';
const CLUSTER = 'backend_default_secure_0';
type Reply = { status: number; body: string };
const staticSecret = (file: string) => ({ name: SYSTEM_CA_SECRET_NAME, validationContext: { trustedCa: { filename: file } } });

(envoy ? describe : describe.skip)('the system CA over SDS, through Envoy', () => {
  const pki = makeTestPki(SAN);
  // CA bundle files: the CA that signed the upstream's certificate, and an unrelated one.
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-xds-pki-'));
  const rightCa = join(dir, 'right.crt');
  const wrongCa = join(dir, 'wrong.crt');
  writeFileSync(rightCa, pki.ca);
  writeFileSync(wrongCa, pki.otherCa);
  let upstream: Server;
  let port: number;
  const harnesses: Harness[] = [];
  const translator = createDefaultTranslator({ allowLocalAddresses: true });

  beforeAll(async () => {
    upstream = createServer({ key: pki.serverKey, cert: pki.serverCert }, (_req, res) => res.end('tls ok'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    port = (upstream.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.stop()));
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const serve = async (harness: Harness, options: SnapshotFromTranslationOptions) => {
    const result = translator.translateText(systemCaBackendYaml('127.0.0.1', port, SAN), { file: 'input.yaml' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    await harness.apply(snapshotFromTranslation(result, options));
  };
  const start = async (staticCa: string) => {
    const harness = await startHarness(envoy!, { secrets: [staticSecret(staticCa)] });
    harnesses.push(harness);
    return harness;
  };
  /** Requests until Envoy answers as `wanted` says (the cluster warms until its secret arrives). */
  const until = (harness: Harness, what: string, wanted: (reply: Reply) => boolean) =>
    waitFor(
      what,
      async () => {
        const reply = await harness.request(CLUSTER);
        if (!wanted(reply)) throw new Error(`Envoy answered ${reply.status}: ${reply.body}`);
        return reply;
      },
      30_000,
    );
  const verified = (reply: Reply) => reply.status === 200 && reply.body === 'tls ok';
  const refused = (reply: Reply) => reply.status === 503 && reply.body.includes('remote connection failure');
  /** Envoy's count of upstream certificates it could not verify for the cluster. */
  const verifyFailures = async (harness: Harness) => {
    const stats = await harness.envoy.admin(`/stats?filter=^cluster\\.${CLUSTER}\\.ssl\\.fail_verify_error$`);
    return Number(/: (\d+)/.exec(stats)?.[1] ?? NaN);
  };

  it('verifies the upstream with the served bundle, not with the static secret of the same name', async () => {
    const harness = await start(wrongCa);
    await serve(harness, { systemCaBundle: rightCa });
    expect((await until(harness, 'a verified TLS answer', verified)).body).toBe('tls ok');
    const pushes = harness.events.filter((e) => e.kind === 'push' && e.typeUrl === SECRET_TYPE);
    expect(pushes.map((e) => e.kind === 'push' && e.resources)).toEqual([[SYSTEM_CA_SECRET_NAME]]);
    expect(harness.events.some((e) => e.kind === 'ack' && e.typeUrl === SECRET_TYPE)).toBe(true);
    // Served as none: the cluster names the secret without sdsConfig again, and the static (wrong) CA refuses.
    expect(await verifyFailures(harness)).toBe(0);
    await serve(harness, { systemCaBundle: false });
    await until(harness, 'the static secret to refuse the upstream', refused);
    expect(await verifyFailures(harness)).toBeGreaterThan(0);
  });

  it('refuses the upstream when the served bundle is not its CA, even with the right static secret', async () => {
    const harness = await start(rightCa);
    await serve(harness, { systemCaBundle: wrongCa });
    await until(harness, 'a TLS failure', refused);
    expect(await verifyFailures(harness)).toBeGreaterThan(0);
    await serve(harness, { systemCaBundle: false });
    await until(harness, 'the static secret to verify the upstream', verified);
  });
});
