import { EC2Client } from '@aws-sdk/client-ec2';
import { createTranslator, loadText } from '@backendkit/core';
import {
  EC2_INSTANCE_SOURCE,
  Ec2Poller,
  awsEc2Plugin,
  discoveryTarget,
  staticInstanceSource,
  type DiscoveryTarget,
  type Ec2PollerOptions,
} from '@backendkit/aws-ec2';
import { describeInstancesXml, startFakeEc2, type FakeEc2, type FakeInstance, type FakeReply, type FakeRequest } from './helpers/fake-ec2';

// The SDK must never look for credentials or regions outside what the tests give it.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const CREDS = { accessKeyId: 'AKIDFAKEEXAMPLE00001', secretAccessKey: 'fake/secret+1=two words' };
const TARGET = discoveryTarget('us-west-2', CREDS);
const FAST = { timeoutMs: 2000, throttle: { retries: 0, baseDelayMs: 5, maxDelayMs: 20 } } satisfies Partial<Ec2PollerOptions>;
const vm = (id: string, privateIp: string): FakeInstance => ({ id, privateIp, zone: 'us-west-2a', tags: { app: 'api' } });

let server: FakeEc2 | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: (request: FakeRequest) => FakeReply): Promise<FakeEc2> {
  server = await startFakeEc2(handler);
  return server;
}

const poller = (fake: FakeEc2, extra: Partial<Ec2PollerOptions> = {}, targets: DiscoveryTarget[] = [TARGET]) =>
  new Ec2Poller({ ...FAST, endpoint: fake.endpoint, targets: () => targets, ...extra });

describe('a successful reply that is not a DescribeInstancesResponse fails the pass; the last good endpoints stay', () => {
  test.each([
    ['an empty body', { raw: '' }],
    ['a proxy HTML page', { raw: '<!DOCTYPE html><html><body>Service Unavailable</body></html>', contentType: 'text/html' }],
    ['an <Errors> document', { raw: '<?xml version="1.0"?><Response><Errors><Error><Code>Oops</Code><Message>no</Message></Error></Errors></Response>' }],
    ['another response', { raw: '<?xml version="1.0"?><DescribeTagsResponse><tagSet/></DescribeTagsResponse>' }],
  ] as const)('%s', async (_, reply) => {
    let bad = false;
    const fake = await serve(() => (bad ? reply : { reservations: [[vm('i-1', '10.0.0.1')]] }));
    const p = poller(fake);
    expect((await p.runOnce()).targets[0]!.instances).toBe(1);
    bad = true;
    const report = await p.runOnce();
    expect(report.targets[0]!.failure).toMatchObject({ reason: 'DiscoveryError', code: 'InvalidReply' });
    expect(report.targets[0]!.failure!.message).toMatch(
      /^InvalidReply: DescribeInstances answered HTTP 200 with (an empty body|a document that is not a DescribeInstancesResponse)$/,
    );
    expect(p.lookup(TARGET)).toMatchObject({ status: 'failed', lastGood: [{ instanceId: 'i-1' }] });
  });

  test('a real reply without instances is still "no instances"', async () => {
    const fake = await serve(() => ({ raw: describeInstancesXml([]) }));
    expect((await poller(fake).runOnce()).targets[0]).toMatchObject({ instances: 0 });
  });
});

describe('reply size and the pass deadline', () => {
  test('a reply larger than maxReplyBytes is refused before it is parsed', async () => {
    const many = Array.from({ length: 200 }, (_, i) => vm(`i-${i}`, `10.0.${i >> 8}.${i & 255}`));
    const fake = await serve(() => ({ reservations: [many] }));
    const report = await poller(fake, { maxReplyBytes: 16 * 1024 }).runOnce();
    expect(report.targets[0]!.failure).toEqual({
      reason: 'DiscoveryError',
      code: 'InvalidReply',
      message: 'InvalidReply: the DescribeInstances reply is larger than 16384 bytes (maxReplyBytes): refused',
    });
    expect((await poller(fake).runOnce()).targets[0]!.instances).toBe(200); // the default limit is far larger
  });

  test('a result that comes after the deadline is discarded, even when parsing kept the timer from running', async () => {
    const fake = await serve(() => ({ reservations: [[vm('i-1', '10.0.0.1')]] }));
    // Stands for a reply whose parsing blocks the event loop past the deadline (a 60 MB reply).
    const createClient = (target: DiscoveryTarget) => {
      const client = new EC2Client({ region: target.region, maxAttempts: 1, credentials: CREDS, endpoint: fake.endpoint });
      client.middlewareStack.add(
        (next) => async (args) => {
          const out = await next(args);
          const until = performance.now() + FAST.timeoutMs + 100;
          while (performance.now() < until);
          return out;
        },
        { step: 'initialize', name: 'slowParse' },
      );
      return client;
    };
    const p = poller(fake, { createClient });
    const report = await p.runOnce();
    expect(report.targets[0]!.failure).toEqual({
      reason: 'DiscoveryError',
      code: 'Timeout',
      message: 'DescribeInstances in us-west-2 did not finish within 2000 ms',
    });
    expect(p.lookup(TARGET).status).toBe('failed');
  });
});

describe('credentials never reach a failure message', () => {
  test('a value crossing the 300-character cut leaves no part behind', async () => {
    const fake = await serve(() => ({ error: 'AuthFailure', message: `${'x'.repeat(295)}${CREDS.accessKeyId} rejected` }));
    const failure = (await poller(fake).runOnce()).targets[0]!.failure!;
    expect(failure.message).toBe(`AuthFailure: ${'x'.repeat(295)}*** r`); // cut at 300 characters, after redaction
  });

  test('the error code is redacted too', async () => {
    const fake = await serve(() => ({ error: `Bad${CREDS.accessKeyId}`, message: 'no' }));
    const failure = (await poller(fake).runOnce()).targets[0]!.failure!;
    expect(failure.code).toBe('Bad***');
    expect(JSON.stringify(failure)).not.toContain(CREDS.accessKeyId);
  });

  test('URL-encoded and base64 forms are redacted', async () => {
    const encoded = encodeURIComponent(CREDS.secretAccessKey);
    const basic = Buffer.from(`${CREDS.accessKeyId}:${CREDS.secretAccessKey}`).toString('base64');
    const fake = await serve(() => ({ error: 'AuthFailure', message: `form SecretKey=${encoded}&x=1, header Basic ${basic}` }));
    const failure = (await poller(fake).runOnce()).targets[0]!.failure!;
    expect(failure.message).not.toContain(encoded);
    expect(failure.message).not.toContain(basic.slice(4, 24));
    expect(failure.message).toMatch(/^AuthFailure: form SecretKey=\*\*\*&x=1, header Basic /);
  });

  describe('credentials of the default chain (environment), which no Secret names', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    });

    test('are redacted from what the server echoes', async () => {
      for (const key of Object.keys(process.env))
        if (key.startsWith('AWS_') && key !== 'AWS_EC2_METADATA_DISABLED' && key !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED')
          delete process.env[key];
      process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/backendkit-test/credentials';
      process.env.AWS_CONFIG_FILE = '/nonexistent/backendkit-test/config';
      process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENVIRONMENT1';
      process.env.AWS_SECRET_ACCESS_KEY = 'env-secret-value-42';
      process.env.AWS_SESSION_TOKEN = 'env-session-token-xyz';
      const fake = await serve(() => ({ error: 'AuthFailure', message: 'key AKIDFROMENVIRONMENT1 secret env-secret-value-42 token env-session-token-xyz' }));
      const failure = (await poller(fake, {}, [discoveryTarget('eu-north-1')]).runOnce()).targets[0]!.failure!;
      expect(failure.message).toBe('AuthFailure: key *** secret *** token ***');
    });
  });
});

test('EndpointsDiscovered counts the endpoints served, not those core refuses', () => {
  const text = `apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: api, namespace: shop}
spec:
  aws:
    region: us-west-2
    ec2: {port: 8080, filters: [{keyValue: {key: app, value: api}}]}
`;
  const instance = (id: string, privateIpAddress: string) => ({
    instanceId: id,
    state: 'running',
    availabilityZone: 'us-west-2a',
    privateIpAddress,
    tags: { app: 'api' },
  });
  const run = (instances: ReturnType<typeof instance>[], allowLocalAddresses = false) => {
    const translator = createTranslator({ plugins: [awsEc2Plugin()], provide: [[EC2_INSTANCE_SOURCE, staticInstanceSource(instances)]], allowLocalAddresses });
    const result = translator.translate(loadText(text).objects);
    return {
      condition: result.statuses[0]!.conditions.find((c) => c.type === 'EndpointsDiscovered'),
      served: (result.assignments[0]!.endpoints ?? []).flatMap((l) => l.lbEndpoints).length,
    };
  };
  const refused = [instance('i-1', '127.0.0.1'), instance('i-2', '169.254.169.254'), instance('i-3', '0.0.0.0')];
  expect(run(refused)).toEqual({
    served: 0,
    condition: {
      type: 'EndpointsDiscovered',
      status: 'False',
      reason: 'NoMatchingInstances',
      message: '3 matching instances in us-west-2 have only refused addresses (see the warnings)',
    },
  });
  expect(run([...refused, instance('i-4', '10.0.0.4')])).toMatchObject({ served: 1, condition: { status: 'True', message: '1 endpoints active' } });
  expect(run(refused, true)).toMatchObject({ served: 3, condition: { status: 'True', message: '3 endpoints active' } });
});
