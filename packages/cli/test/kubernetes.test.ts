import { join } from 'node:path';
import { assertStrictEnvoy } from '@backendkit/testing';
import { cli } from './run-cli';

const root = join(__dirname, '..', '..', '..');

describe('backendkit translate with Services (built-in kubernetes and http2 plugins)', () => {
  test('examples/kubernetes.yaml: Service port and Backend clusters, their assignments in endpoints', async () => {
    const { code, stdout, stderr } = await cli(['translate', 'examples/kubernetes.yaml'], '', root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const document = JSON.parse(stdout);
    assertStrictEnvoy(document);
    expect(document.clusters.map((c: { name: string }) => c.name)).toEqual([
      'backend_gateway_petstore-http_0',
      'kube_shop_petstore_8080',
      'kube_shop_petstore_9090',
    ]);
    expect(
      document.assignments.map((e: { clusterName: string; endpoints: { locality: object }[] }) => [e.clusterName, e.endpoints.map((l) => l.locality)]),
    ).toEqual([
      ['backend_gateway_petstore-http_0', [{ zone: 'us-east-1a' }, { zone: 'us-east-1b' }]],
      ['kube_shop_petstore_8080', [{ zone: 'us-east-1a' }, { zone: 'us-east-1b' }]],
      ['kube_shop_petstore_9090', [{ zone: 'us-east-1a' }, { zone: 'us-east-1b' }]],
    ]);
    // The port named grpc speaks HTTP/2; the http one does not.
    const h2 = document.clusters.map((c: { typedExtensionProtocolOptions?: object }) => c.typedExtensionProtocolOptions !== undefined);
    expect(h2).toEqual([false, false, true]);
  });
});
