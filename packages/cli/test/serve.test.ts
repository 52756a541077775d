import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { ClusterSchema } from '@backendkit/core/envoy';
import { CLUSTER_TYPE, SECRET_TYPE, SYSTEM_CA_SECRET_NAME } from '@backendkit/xds-server';
import { startServe, type ServeHandle } from '../src/commands/serve';
import type { CliIo } from '../src/io';
import { ack, sotwRequest, TestAdsClient, waitForEvents } from '../../xds-server/test/client';
import { cli } from './run-cli';

const backend = (name: string, host: string, port = 80) =>
  `apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: ${name}, namespace: default}\nspec:\n  static:\n    hosts: [{host: ${host}, port: ${port}}]\n`;

describe('backendkit serve', () => {
  let dir: string;
  let log: string;
  let handle: ServeHandle | undefined;
  let client: TestAdsClient | undefined;
  const io = (): CliIo => ({ stdout: () => undefined, stderr: (t) => (log += t), readStdin: async () => '', cwd: dir });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'backendkit-serve-'));
    log = '';
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    await handle?.close();
    handle = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function clusters(nodeId: string): Promise<{ names: string[]; version: string }> {
    const stream = client!.sotw();
    stream.send(sotwRequest({ node: { id: nodeId }, typeUrl: CLUSTER_TYPE }));
    const response = await stream.next();
    stream.send(ack(response));
    await waitForEvents(() => log.includes(`ACK envoy.config.cluster.v3.Cluster version=${response.versionInfo} nonce=${response.nonce} node="${nodeId}"`));
    stream.close();
    return { names: response.resources.map((r) => fromBinary(ClusterSchema, r.value).name), version: response.versionInfo };
  }

  test('serves the translation to any node, logs pushes and ACKs, and pushes again after a change', async () => {
    writeFileSync(join(dir, 'a.yaml'), backend('a', '192.0.2.1'));
    handle = await startServe(['.'], { port: '0' }, io());
    client = new TestAdsClient(handle.port);
    expect(await clusters('any-envoy')).toMatchObject({ names: ['backend_default_a_0'] });
    const lines = log.split('\n');
    expect(lines[0]).toMatch(/^translation 1: 1 clusters, 0 assignments, version [0-9a-f]{16}$/);
    expect(lines[1]).toBe(`serving ADS on 127.0.0.1:${handle.port} to every node`);
    expect(lines).toContainEqual(
      expect.stringMatching(/^push envoy\.config\.cluster\.v3\.Cluster version=[0-9a-f]{16} resources=1 nonce=1 node="any-envoy" stream=1 sotw$/),
    );

    writeFileSync(join(dir, 'b.yaml'), backend('b', '192.0.2.2'));
    await handle.retranslate();
    expect(await clusters('other-envoy')).toMatchObject({ names: ['backend_default_a_0', 'backend_default_b_0'] });
  });

  test('--watch translates again when a file changes', async () => {
    writeFileSync(join(dir, 'a.yaml'), backend('a', '192.0.2.1'));
    handle = await startServe(['.'], { port: '0', watch: true }, io());
    client = new TestAdsClient(handle.port);
    const before = await clusters('n');
    writeFileSync(join(dir, 'a.yaml'), backend('renamed', '192.0.2.1'));
    await waitForEvents(() => log.includes('translation 2:'));
    const after = await clusters('n');
    expect(after.names).toEqual(['backend_default_renamed_0']);
    expect(after.version).not.toBe(before.version);
  });

  test('reports invalid resources and serves the valid ones; --node-id serves one node only', async () => {
    writeFileSync(join(dir, 'a.yaml'), `${backend('a', '192.0.2.1')}---\n${backend('bad', '192.0.2.2', 0)}`);
    handle = await startServe(['a.yaml'], { port: '0', 'node-id': 'edge' }, io());
    client = new TestAdsClient(handle.port);
    // The same diagnostics as translate prints, on standard error.
    const translated = await cli(['translate', 'a.yaml'], '', dir);
    expect(translated.stderr).toMatch(/^a\.yaml:\d+:\d+: error: Backend default\/bad: spec\.static\.hosts\[0\]\.port: must be between 1 and 65535\n$/);
    expect(log.startsWith(translated.stderr)).toBe(true);
    expect((await clusters('edge')).names).toEqual(['backend_default_a_0']);
    const stranger = client.sotw();
    stranger.send(sotwRequest({ node: { id: 'stranger' }, typeUrl: CLUSTER_TYPE }));
    await waitForEvents(() => log.includes('stream open node="stranger"'));
    expect(stranger.queued()).toBe(0);
    stranger.close();
  });

  test('cuts Secret values out of the NACK lines it logs', async () => {
    writeFileSync(
      join(dir, 'lambda.yaml'),
      `apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: default}
stringData: {accessKey: AKIDSERVELOG00000001, secretKey: 'serve/log"secret'}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: fn, namespace: default}
spec:
  aws:
    region: eu-west-1
    auth: {type: Secret, secretRef: {name: creds}}
    lambda: {accountId: "000000000000", functionName: fn}
`,
    );
    handle = await startServe(['.'], { port: '0' }, io());
    client = new TestAdsClient(handle.port);
    const stream = client.sotw();
    stream.send(sotwRequest({ node: { id: 'n' }, typeUrl: CLUSTER_TYPE }));
    const response = await stream.next();
    // What Envoy says when it refuses a Lambda cluster: the config as text, keys and all.
    const message =
      'Error adding/updating cluster(s) backend_default_fn_0: credentials { access_key_id: "AKIDSERVELOG00000001" secret_access_key: "serve/log\\"secret" }';
    stream.send(sotwRequest({ typeUrl: CLUSTER_TYPE, responseNonce: response.nonce, errorDetail: { code: 13, message } }));
    await waitForEvents(() => log.includes('NACK '));
    stream.close();
    expect(log).toContain('translation 1: 1 clusters, 0 assignments');
    const line = log.split('\n').find((l) => l.startsWith('NACK '))!;
    expect(line).toContain('credentials { access_key_id: "[redacted]" secret_access_key: "[redacted]" }');
    expect(log).not.toContain('AKIDSERVELOG00000001');
    expect(log).not.toContain('serve/log');
  });

  test('serves SYSTEM_CA_CERT over SDS from --system-ca-bundle, and none with none', async () => {
    writeFileSync(join(dir, 'a.yaml'), backend('a', '192.0.2.1'));
    const secretFile = async (args: Record<string, string>) => {
      handle = await startServe(['.'], { port: '0', ...args }, io());
      client = new TestAdsClient(handle.port);
      const stream = client.sotw();
      stream.send(sotwRequest({ node: { id: 'e' }, typeUrl: SECRET_TYPE, resourceNames: [SYSTEM_CA_SECRET_NAME] }));
      const response = await stream.next();
      stream.close();
      client.close();
      client = undefined;
      await handle.close();
      handle = undefined;
      // Secret{name = 1, validation_context = 4 {trusted_ca = 1 {filename = 1}}}: the file is the last field.
      return response.resources.map((r) => {
        expect(r.typeUrl).toBe(SECRET_TYPE);
        const text = Buffer.from(r.value).toString('latin1');
        expect(text.startsWith(`\n${String.fromCharCode(SYSTEM_CA_SECRET_NAME.length)}${SYSTEM_CA_SECRET_NAME}`)).toBe(true);
        return text.slice(text.lastIndexOf('/etc/'));
      });
    };
    expect(await secretFile({ 'system-ca-bundle': '/etc/pki/tls/certs/ca-bundle.crt' })).toEqual(['/etc/pki/tls/certs/ca-bundle.crt']);
    expect(await secretFile({})).toEqual(['/etc/ssl/certs/ca-certificates.crt']);
    expect(await secretFile({ 'system-ca-bundle': 'none' })).toEqual([]);
  });

  test.each([
    [['serve', 'x.yaml', '--system-ca-bundle', ''], 'backendkit serve: --system-ca-bundle must be a file path or none'],
    [['serve', 'x.yaml', '--port', 'abc'], 'backendkit serve: --port must be a port number from 0 to 65535, not "abc"'],
    [['serve'], 'backendkit serve: no input: give files, directories, or - for standard input'],
    [['serve', 'missing.yaml'], 'backendkit serve: cannot read missing.yaml: no such file or directory'],
  ])('%j is a usage error', async (args, message) => {
    const { code, stderr } = await cli(args);
    expect({ code, line: stderr.split('\n')[0] }).toEqual({ code: 2, line: message });
  });
});
