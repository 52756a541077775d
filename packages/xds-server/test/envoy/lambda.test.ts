// A Lambda Backend whose endpointURL is a local stand-in, through a real Envoy (docs/envoy.md):
// the request arrives at the invocation path of the function's ARN, SigV4-signed with the
// Secret's access key; Async adds X-Amz-Invocation-Type: Event.
import { createServer, type Http2Server, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createDefaultTranslator } from '@backendkit/preset';
import { envoyForTests, waitFor } from '@backendkit/testing/envoy';
import { snapshotFromTranslation } from '@backendkit/xds-server';
import { startHarness, type Harness } from './harness';

const envoy = envoyForTests();

interface Invocation {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

(envoy ? describe : describe.skip)('Lambda through Envoy', () => {
  let harness: Harness;
  let standIn: Http2Server;
  let port: number;
  const invocations: Invocation[] = [];

  beforeAll(async () => {
    harness = await startHarness(envoy!);
    // The Lambda API stand-in: HTTP/2 without TLS, as the cluster speaks HTTP/2 to the endpoint.
    standIn = createServer((req, res) => {
      invocations.push({ method: req.method, path: req.url, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    port = (standIn.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await harness?.stop();
    await new Promise((resolve) => standIn?.close(resolve));
  });

  it("invokes the function at its ARN path, signed with the Secret's access key; Async asks for an Event invocation", async () => {
    const yaml =
      ['hello', 'fire']
        .map(
          (name) => `apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: ${name}, namespace: default}
spec:
  aws:
    region: eu-west-1
    auth: {type: Secret, secretRef: {name: creds}}
    lambda:
      accountId: "000000000000"
      functionName: ${name}
      endpointURL: http://127.0.0.1:${port}${name === 'fire' ? '\n      invocationMode: Async' : ''}
`,
        )
        .join('---\n') +
      `---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: default}
stringData: {accessKey: AKIDLAMBDAE2E0000001, secretKey: lambda-e2e-secret}
`;
    const result = createDefaultTranslator({ allowLocalAddresses: true }).translateText(yaml, { file: 'lambda.yaml' });
    expect(result.diagnostics).toEqual([]);
    await harness.apply(snapshotFromTranslation(result));

    for (const name of ['hello', 'fire']) {
      await waitFor(`${name} to be invoked`, async () => ((await harness.request(`backend_default_${name}_0`, '/anything')).status === 200 ? true : undefined));
    }
    const hello = invocations.find((i) => i.path.includes(':function:hello'))!;
    const fire = invocations.find((i) => i.path.includes(':function:fire'))!;
    expect(hello.method).toBe('POST');
    expect(hello.path).toBe('/2015-03-31/functions/arn:aws:lambda:eu-west-1:000000000000:function:hello:$LATEST/invocations');
    expect(hello.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLAMBDAE2E0000001\/\d{8}\/eu-west-1\/lambda\/aws4_request, /);
    expect(hello.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(fire.headers['x-amz-invocation-type']).toBe('Event');
    expect(String(hello.headers.authorization)).not.toContain('lambda-e2e-secret');
  });
});
