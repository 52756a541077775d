// Endpoints discovered from Kubernetes EndpointSlices and from EC2 reach a real Envoy over EDS, on
// the delta protocol (docs/envoy.md).
import { EC2_INSTANCE_SOURCE, discoverOnce, ec2Targets } from '@backendkit/aws-ec2';
import { loadText } from '@backendkit/core';
import { createDefaultTranslator } from '@backendkit/preset';
import { envoyForTests, freePort, waitFor } from '@backendkit/testing/envoy';
import { snapshotFromTranslation } from '@backendkit/xds-server';
import { startFakeEc2, type FakeEc2 } from '../../../aws-ec2/test/helpers/fake-ec2';
import { spread, startHarness, startUpstream, type Harness, type Upstream } from './harness';

// The SDK talks to the local EC2 stand-in only.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const envoy = envoyForTests();

function service(slices: Array<{ name: string; zone: string; ips: string[] }>, port: number): string {
  return [
    `apiVersion: v1
kind: Service
metadata: {name: shop, namespace: default}
spec:
  ports: [{name: http, port: 8080}]`,
    ...slices.map(
      (s) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${s.name}
  namespace: default
  labels: {kubernetes.io/service-name: shop}
addressType: IPv4
ports: [{name: http, port: ${port}}]
endpoints:
${s.ips.map((ip) => `- {addresses: [${ip}], conditions: {ready: true}, zone: ${s.zone}}`).join('\n')}`,
    ),
  ].join('\n---\n');
}

(envoy ? describe : describe.skip)('discovered endpoints through Envoy (delta xDS)', () => {
  let harness: Harness;
  let fake: FakeEc2 | undefined;
  const upstreams: Upstream[] = [];
  const translator = createDefaultTranslator({ allowLocalAddresses: true });
  const serve = (yaml: string) => {
    const result = translator.translateText(yaml, { file: 'input.yaml' });
    expect(result.diagnostics).toEqual([]);
    return harness.apply(snapshotFromTranslation(result));
  };

  beforeAll(async () => {
    harness = await startHarness(envoy!, { delta: true });
  });
  afterAll(async () => {
    await harness?.stop();
    await fake?.close();
    await Promise.all(upstreams.map((u) => u.close()));
  });

  it('sends requests to every endpoint of a Service in two zones, and follows a slice change without a restart', async () => {
    const port = await freePort();
    for (const host of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']) upstreams.push(await startUpstream(host, { host, port }));
    await serve(
      service(
        [
          { name: 'shop-a', zone: 'zone-a', ips: ['127.0.0.2', '127.0.0.3'] },
          { name: 'shop-b', zone: 'zone-b', ips: ['127.0.0.4'] },
        ],
        port,
      ),
    );
    const cluster = 'kube_default_shop_8080';
    await waitFor('all three endpoints to answer', async () => ((await spread(harness, cluster, 12)).size === 3 ? true : undefined));
    expect([...(await spread(harness, cluster, 30)).keys()].sort()).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);

    // zone-b's slice now holds 127.0.0.5, and zone-a's is gone.
    const streamsBefore = harness.events.filter((e) => e.kind === 'stream-open').length;
    await serve(service([{ name: 'shop-b', zone: 'zone-b', ips: ['127.0.0.5'] }], port));
    await waitFor('traffic to move to 127.0.0.5', async () => {
      const hits = await spread(harness, cluster, 6);
      return hits.size === 1 && hits.has('127.0.0.5') ? true : undefined;
    });
    expect([...(await spread(harness, cluster, 10)).keys()]).toEqual(['127.0.0.5']);
    expect(harness.events.find((e) => e.kind === 'stream-open')?.protocol).toBe('delta');
    // Same Envoy, same stream.
    expect(harness.events.filter((e) => e.kind === 'stream-open')).toHaveLength(streamsBefore);
  });

  it('routes to EC2 instances discovered from a local EC2 API', async () => {
    const port = await freePort();
    const instances = [
      { id: 'i-0000000000000000a', privateIp: '127.0.0.6', zone: 'eu-west-1a' },
      { id: 'i-0000000000000000b', privateIp: '127.0.0.7', zone: 'eu-west-1b' },
    ];
    for (const i of instances) upstreams.push(await startUpstream(i.id, { host: i.privateIp, port }));
    fake = await startFakeEc2(() => ({ reservations: [instances] }));
    const yaml = `apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: default}
stringData: {accessKey: AKIDFAKEE2E000000001, secretKey: e2e-secret}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: fleet, namespace: default}
spec:
  aws:
    region: eu-west-1
    auth: {type: Secret, secretRef: {name: creds}}
    ec2: {port: ${port}}
`;
    const { objects } = loadText(yaml, { file: 'ec2.yaml' });
    const { source } = await discoverOnce(ec2Targets(objects), { endpoint: fake.endpoint });
    expect(fake.requests.map((r) => r.accessKeyId)).toEqual(['AKIDFAKEE2E000000001']);
    const ec2 = createDefaultTranslator({ allowLocalAddresses: true, provide: [[EC2_INSTANCE_SOURCE, source]] });
    const result = ec2.translate(objects);
    expect(result.diagnostics).toEqual([]);
    await harness.apply(snapshotFromTranslation(result));
    await waitFor('both instances to answer', async () => ((await spread(harness, 'backend_default_fleet_0', 10)).size === 2 ? true : undefined));
    expect([...(await spread(harness, 'backend_default_fleet_0', 20)).keys()].sort()).toEqual(['i-0000000000000000a', 'i-0000000000000000b']);
  });
});
