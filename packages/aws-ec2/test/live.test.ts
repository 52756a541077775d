import { createTranslator, loadText, toOutputDocument, type KubeObject } from '@backendkit/core';
import { assertStrictEnvoy } from '@backendkit/testing';
import {
  EC2_INSTANCE_SOURCE,
  Ec2Poller,
  awsEc2Plugin,
  discoveryTarget,
  ec2Targets,
  type DiscoveryTarget,
  type Ec2PollerOptions,
  type InstanceSource,
} from '@backendkit/aws-ec2';
import { pagedHandler, startFakeEc2, type FakeEc2, type FakeInstance, type FakeReply, type FakeRequest } from './helpers/fake-ec2';

// The SDK must never look for credentials or regions outside what the tests give it.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const CREDS = { accessKeyId: 'AKIDFAKEEXAMPLE00001', secretAccessKey: 'fake-secret-1' };
const TARGET = discoveryTarget('us-west-2', CREDS);
// A pass deadline far above any answer's time, so a loaded CI machine cannot fail a pass that should
// succeed; the hanging-server test sets its own short deadline.
const FAST = { timeoutMs: 10_000, throttle: { retries: 2, baseDelayMs: 5, maxDelayMs: 20 } } satisfies Partial<Ec2PollerOptions>;

let server: FakeEc2 | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: (request: FakeRequest) => FakeReply): Promise<FakeEc2> {
  server = await startFakeEc2(handler);
  return server;
}

function poller(fake: FakeEc2, targets: readonly DiscoveryTarget[] = [TARGET], extra: Partial<Ec2PollerOptions> = {}): Ec2Poller {
  return new Ec2Poller({ ...FAST, endpoint: fake.endpoint, targets: () => targets, ...extra });
}

const vm = (id: string, privateIp: string, zone: string, extra: Partial<FakeInstance> = {}): FakeInstance => ({ id, privateIp, zone, ...extra });

const BACKENDS = `
apiVersion: v1
kind: Secret
metadata: {name: aws-creds, namespace: shop}
stringData: {accessKey: ${CREDS.accessKeyId}, secretKey: ${CREDS.secretAccessKey}}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: api, namespace: shop}
spec:
  aws:
    region: us-west-2
    auth: {type: Secret, secretRef: {name: aws-creds}}
    ec2: {port: 8080, filters: [{keyValue: {key: app, value: api}}]}
`;

function translate(source: InstanceSource, text = BACKENDS) {
  const translator = createTranslator({ plugins: [awsEc2Plugin()], provide: [[EC2_INSTANCE_SOURCE, source]] });
  const result = translator.translate(loadText(text).objects);
  const output = toOutputDocument(result);
  assertStrictEnvoy(output);
  const condition = (name: string) => result.statuses.find((s) => s.name === name)!.conditions.find((c) => c.type === 'EndpointsDiscovered');
  const addresses = (name: string) =>
    (
      output.assignments.find((e) => String(e.clusterName).includes(`_${name}_`)) as {
        endpoints?: { lbEndpoints: { endpoint: { address: { socketAddress: { address: string } } } }[] }[];
      }
    )?.endpoints?.flatMap((l) => l.lbEndpoints.map((e) => e.endpoint.address.socketAddress.address)) ?? [];
  return { result, output, condition, addresses };
}

describe('live discovery against a local EC2 Query API server', () => {
  test('reads every page through NextToken, signed for the Backend region with the Secret credentials', async () => {
    const fake = await serve(
      pagedHandler([
        [[vm('i-03', '10.0.0.3', 'us-west-2b', { tags: { app: 'api' } })], [vm('i-01', '10.0.0.1', 'us-west-2a', { tags: { app: 'api' } })]],
        [[vm('i-02', '10.0.0.2', 'us-west-2a', { tags: { app: 'api' } }), vm('i-09', '10.0.0.9', 'us-west-2a', { tags: { app: 'web' } })]],
        [[vm('i-04', '10.0.0.4', 'us-west-2c', { tags: { app: 'api' } })]],
      ]),
    );
    const objects = loadText(BACKENDS).objects;
    const p = poller(fake, ec2Targets(objects));
    const report = await p.runOnce();

    expect(report.targets).toEqual([{ id: TARGET.id, region: 'us-west-2', instances: 5 }]);
    expect(fake.requests.map((r) => r.params.get('NextToken'))).toEqual([null, 'page-1', 'page-2']);
    for (const request of fake.requests) {
      expect(request).toMatchObject({ accessKeyId: CREDS.accessKeyId, region: 'us-west-2', service: 'ec2' });
      expect(request.params.get('Filter.1.Name')).toBe('instance-state-name');
      expect(request.params.get('Filter.1.Value.1')).toBe('running');
    }
    const { condition, addresses, output } = translate(p);
    // i-09 is tagged app=web: the Backend's filter leaves it out.
    expect(addresses('api')).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
    expect(output.assignments[0]).toMatchObject({
      endpoints: [{ locality: { zone: 'us-west-2a' } }, { locality: { zone: 'us-west-2b' } }, { locality: { zone: 'us-west-2c' } }],
    });
    expect(condition('api')).toEqual({ type: 'EndpointsDiscovered', status: 'True', reason: 'Discovered', message: '4 endpoints active' });
  });

  test('RequestLimitExceeded is retried after a backoff, and the pass succeeds', async () => {
    const fake = await serve((r) =>
      r.index === 0
        ? { error: 'RequestLimitExceeded', message: 'Request limit exceeded.' }
        : { reservations: [[vm('i-1', '10.0.0.1', 'us-west-2a', { tags: { app: 'api' } })]] },
    );
    const p = poller(fake);
    const report = await p.runOnce();
    expect(fake.requests).toHaveLength(2);
    expect(report.targets[0]).toEqual({ id: TARGET.id, region: 'us-west-2', instances: 1 });
    expect(report.nextDelayMs).toBe(30_000);
    expect(translate(p).condition('api')).toMatchObject({ status: 'True', message: '1 endpoints active' });
  });

  test('throttling that outlasts the retries fails the pass and slows the next passes down', async () => {
    let throttle = true;
    const fake = await serve(() => (throttle ? { error: 'RequestLimitExceeded' } : { reservations: [] }));
    const p = poller(fake, [TARGET], { intervalMs: 1000, maxBackoffMs: 3000 });
    const first = await p.runOnce();
    expect(fake.requests).toHaveLength(3); // the call and two retries
    expect(first.targets[0]!.failure).toMatchObject({ reason: 'DiscoveryError', code: 'RequestLimitExceeded' });
    expect(first.nextDelayMs).toBe(2000);
    expect((await p.runOnce()).nextDelayMs).toBe(3000); // doubled again, capped
    throttle = false;
    expect((await p.runOnce()).nextDelayMs).toBe(1000); // back to normal after a pass that was not throttled
  });

  test('AuthFailure is a CredentialError, UnauthorizedOperation an AuthorizationError', async () => {
    const denied = discoveryTarget('us-west-2', { accessKeyId: 'AKIDFAKEEXAMPLE00002', secretAccessKey: 'fake-secret-2' });
    const fake = await serve((r) =>
      r.accessKeyId === CREDS.accessKeyId
        ? { error: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' }
        : { error: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' },
    );
    const p = poller(fake, [TARGET, denied]);
    await p.runOnce();
    expect(fake.requests).toHaveLength(2); // not retried: only throttling is
    expect(p.lookup(TARGET)).toEqual({
      status: 'failed',
      failure: { reason: 'CredentialError', code: 'AuthFailure', message: 'AuthFailure: AWS was not able to validate the provided access credentials' },
    });
    expect(p.lookup(denied)).toMatchObject({ status: 'failed', failure: { reason: 'AuthorizationError', code: 'UnauthorizedOperation' } });
    const { condition, result } = translate(p);
    expect(condition('api')).toEqual({
      type: 'EndpointsDiscovered',
      status: 'False',
      reason: 'CredentialError',
      message: 'AuthFailure: AWS was not able to validate the provided access credentials',
    });
    // No endpoints: proto3 JSON leaves the empty list out.
    expect(result.assignments[0]!.endpoints).toBeUndefined();
  });

  test('a server that hangs past the pass timeout fails the pass on time', async () => {
    const fake = await serve(() => ({ hang: true }));
    const p = poller(fake, [TARGET], { timeoutMs: 200 });
    const started = Date.now();
    const report = await p.runOnce();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1500);
    expect(fake.requests).toHaveLength(1);
    expect(report.targets[0]!.failure).toEqual({
      reason: 'DiscoveryError',
      code: 'Timeout',
      message: 'DescribeInstances in us-west-2 did not finish within 200 ms',
    });
  });

  test('instances without the requested address are skipped', async () => {
    const fake = await serve(() => ({
      reservations: [
        [
          { id: 'i-pub-only', publicIp: '203.0.113.5', zone: 'us-west-2a', tags: { app: 'api' } },
          { id: 'i-both', privateIp: '10.0.0.7', publicIp: '203.0.113.7', zone: 'us-west-2a', tags: { app: 'api' } },
          { id: 'i-priv-only', privateIp: '10.0.0.8', zone: 'us-west-2b', tags: { app: 'api' } },
        ],
      ],
    }));
    const p = poller(fake);
    await p.runOnce();
    expect(translate(p).addresses('api')).toEqual(['10.0.0.7', '10.0.0.8']);
    const publicBackends = BACKENDS.replace('ec2: {port: 8080,', 'ec2: {port: 8080, addressType: PublicIP,');
    expect(translate(p, publicBackends).addresses('api')).toEqual(['203.0.113.5', '203.0.113.7']);
  });

  test('a failed pass keeps the endpoints of the last good one (Degraded), and a good pass replaces them', async () => {
    let mode: 'ok' | 'hang' | 'auth' | 'ok2' = 'ok';
    const fake = await serve(() => {
      if (mode === 'hang') return { hang: true };
      if (mode === 'auth') return { error: 'AuthFailure' };
      const ip = mode === 'ok' ? '10.0.0.1' : '10.0.0.2';
      return { reservations: [[vm(`i-${mode}`, ip, 'us-west-2a', { tags: { app: 'api' } })]] };
    });
    const p = poller(fake, [TARGET], { timeoutMs: 2000 }); // the hanging pass waits this long once
    await p.runOnce();
    const good = translate(p);
    expect(good.addresses('api')).toEqual(['10.0.0.1']);

    for (const failing of ['hang', 'auth'] as const) {
      mode = failing;
      await p.runOnce();
      const after = translate(p);
      expect(after.output.assignments).toEqual(good.output.assignments);
      expect(after.output.clusters).toEqual(good.output.clusters);
      expect(after.condition('api')).toMatchObject({ status: 'False', reason: 'Degraded' });
      expect(after.condition('api')!.message).toMatch(/keeping the last good endpoints: 1 endpoints active$/);
    }
    mode = 'ok2';
    await p.runOnce();
    expect(translate(p).addresses('api')).toEqual(['10.0.0.2']);
    expect(translate(p).condition('api')).toMatchObject({ status: 'True', reason: 'Discovered' });
  });

  test('Backends that share region and credentials share one call per pass', async () => {
    const fake = await serve(() => ({
      reservations: [[vm('i-1', '10.0.0.1', 'us-west-2a', { tags: { app: 'api' } }), vm('i-2', '10.0.1.1', 'eu-west-1a', { tags: { app: 'api' } })]],
    }));
    const more = `${BACKENDS}
---
apiVersion: v1
kind: Secret
metadata: {name: same-keys, namespace: other}
stringData: {accessKey: ${CREDS.accessKeyId}, secretKey: ${CREDS.secretAccessKey}}
---
apiVersion: v1
kind: Secret
metadata: {name: other-keys, namespace: other}
stringData: {accessKey: AKIDFAKEEXAMPLE00003, secretKey: fake-secret-3}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: api2, namespace: other}
spec: {aws: {region: us-west-2, auth: {type: Secret, secretRef: {name: same-keys}}, ec2: {}}}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: api3, namespace: other}
spec: {aws: {region: us-west-2, auth: {type: Secret, secretRef: {name: other-keys}}, ec2: {}}}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: api4, namespace: other}
spec: {aws: {region: eu-west-1, auth: {type: Secret, secretRef: {name: other-keys}}, ec2: {port: 81}}}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: api5, namespace: other}
spec: {aws: {region: eu-west-1, auth: {type: Secret, secretRef: {name: other-keys}}, ec2: {port: 82}}}
`;
    const objects: KubeObject[] = loadText(more).objects;
    const targets = ec2Targets(objects);
    expect(targets).toHaveLength(3);
    const p = poller(fake, targets);
    await p.runOnce();
    const calls = fake.requests.map((r) => `${r.region} ${r.accessKeyId}`).sort();
    expect(calls).toEqual(['eu-west-1 AKIDFAKEEXAMPLE00003', 'us-west-2 AKIDFAKEEXAMPLE00001', 'us-west-2 AKIDFAKEEXAMPLE00003']);
    const { addresses } = translate(p, more);
    expect([addresses('api'), addresses('api2'), addresses('api3'), addresses('api4'), addresses('api5')]).toEqual([
      ['10.0.0.1'],
      ['10.0.0.1'],
      ['10.0.0.1'],
      ['10.0.1.1'],
      ['10.0.1.1'],
    ]);
  });

  test('error messages never carry credential values, even when the server echoes them', async () => {
    const fake = await serve(() => ({ error: 'AuthFailure', message: `key ${CREDS.accessKeyId} with secret ${CREDS.secretAccessKey} was rejected` }));
    const p = poller(fake);
    await p.runOnce();
    const { condition, result } = translate(p);
    const text = JSON.stringify([condition('api'), result.diagnostics]);
    expect(text).toContain('key *** with secret *** was rejected');
    expect(text).not.toContain(CREDS.accessKeyId);
    expect(text).not.toContain(CREDS.secretAccessKey);
  });

  test('a server that repeats a page token does not keep the pass paging', async () => {
    const fake = await serve(() => ({ reservations: [], nextToken: 'same' }));
    const report = await poller(fake).runOnce();
    expect(fake.requests).toHaveLength(2);
    expect(report.targets[0]!.failure).toMatchObject({ reason: 'DiscoveryError', message: expect.stringContaining('page token') });
  });

  describe('without a Secret: the default credential chain', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    });
    beforeEach(() => {
      for (const key of Object.keys(process.env))
        if (key.startsWith('AWS_') && key !== 'AWS_EC2_METADATA_DISABLED' && key !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED')
          delete process.env[key];
      // No shared files either: the chain must end without finding anything outside the test.
      process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/backendkit-test/credentials';
      process.env.AWS_CONFIG_FILE = '/nonexistent/backendkit-test/config';
    });

    test('uses the environment credentials of the process', async () => {
      process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENVIRONMENT1';
      process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
      const fake = await serve(() => ({ reservations: [[vm('i-1', '10.0.0.1', 'eu-north-1a')]] }));
      const target = discoveryTarget('eu-north-1');
      const report = await poller(fake, [target]).runOnce();
      expect(report.targets[0]).toEqual({ id: 'eu-north-1/default-chain', region: 'eu-north-1', instances: 1 });
      expect(fake.requests[0]).toMatchObject({ accessKeyId: 'AKIDFROMENVIRONMENT1', region: 'eu-north-1' });
    });

    test('no credentials anywhere is a CredentialError, without calling the server', async () => {
      const fake = await serve(() => ({ reservations: [] }));
      const report = await poller(fake, [discoveryTarget('eu-north-1')]).runOnce();
      expect(fake.requests).toHaveLength(0);
      expect(report.targets[0]!.failure).toMatchObject({ reason: 'CredentialError', code: 'CredentialsProviderError' });
    });
  });
});
