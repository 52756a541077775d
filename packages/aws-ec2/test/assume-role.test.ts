import { createTranslator, loadText, toOutputDocument } from '@backendkit/core';
import { assertStrictEnvoy } from '@backendkit/testing';
import { EC2_INSTANCE_SOURCE, Ec2Poller, awsEc2Plugin, ec2Targets, type Ec2PollerOptions, type InstanceSource } from '@backendkit/aws-ec2';
import { startFakeEc2, type FakeEc2, type FakeReply, type FakeRequest } from './helpers/fake-ec2';
import { startFakeSts, type FakeSts, type StsReply, type StsRequest } from './helpers/fake-sts';

// Never the real AWS: no instance metadata, and the default chain is whatever env keys a test sets.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const CHAIN_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'];
const saved = Object.fromEntries(CHAIN_ENV.map((k) => [k, process.env[k]]));

const ROLE = 'arn:aws:iam::123456789012:role/ec2-discovery';
const CHAIN_KEY = { id: 'AKIDCHAINEXAMPLE0001', secret: 'chain-secret-value-1' };
const SECRET_KEY = { id: 'AKIDSECRETEXAMPLE001', secret: 'secret-secret-value-1' };

const backend = (auth: string) => `
apiVersion: v1
kind: Secret
metadata: {name: source-creds, namespace: shop}
stringData: {accessKey: ${SECRET_KEY.id}, secretKey: ${SECRET_KEY.secret}}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: api, namespace: shop}
spec:
  type: AWS
  aws:
    region: eu-central-1
    auth: ${auth}
    ec2: {port: 8080, filters: [{key: app}]}
`;
const VIA_CHAIN = backend(`{type: AssumeRole, assumeRole: {roleArn: "${ROLE}"}}`);
const VIA_SECRET = backend(`{type: AssumeRole, assumeRole: {roleArn: "${ROLE}"}, secretRef: {name: source-creds}}`);

let ec2: FakeEc2 | undefined;
let sts: FakeSts | undefined;
beforeEach(() => {
  for (const k of CHAIN_ENV) delete process.env[k];
  process.env.AWS_ACCESS_KEY_ID = CHAIN_KEY.id;
  process.env.AWS_SECRET_ACCESS_KEY = CHAIN_KEY.secret;
  // No shared files: the chain must not find a developer's own profile.
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
  process.env.AWS_CONFIG_FILE = '/nonexistent/config';
});
afterEach(async () => {
  await Promise.all([ec2?.close(), sts?.close()]);
  ec2 = sts = undefined;
  for (const k of CHAIN_ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const running = (): FakeReply => ({ reservations: [[{ id: 'i-0a', privateIp: '10.1.0.10', zone: 'eu-central-1a', tags: { app: 'x' } }]] });

async function serve(stsHandler?: (r: StsRequest) => StsReply, ec2Handler: (r: FakeRequest) => FakeReply = running) {
  sts = await startFakeSts(stsHandler);
  ec2 = await startFakeEc2(ec2Handler);
  return { sts, ec2 };
}

function poller(text: string, extra: Partial<Ec2PollerOptions> = {}): Ec2Poller {
  const targets = ec2Targets(loadText(text).objects);
  return new Ec2Poller({
    timeoutMs: 2000,
    endpoint: ec2!.endpoint,
    targets: () => targets,
    ...extra,
    assumeRole: { stsEndpoint: sts!.endpoint, ...extra.assumeRole },
  });
}

function translate(source: InstanceSource, text: string) {
  const result = createTranslator({ plugins: [awsEc2Plugin()], provide: [[EC2_INSTANCE_SOURCE, source]] }).translate(loadText(text).objects);
  const output = toOutputDocument(result);
  assertStrictEnvoy(output);
  const condition = result.statuses[0]!.conditions.find((c) => c.type === 'EndpointsDiscovered');
  return { result, output, condition };
}

describe('auth.type AssumeRole for EC2 discovery, against local STS and EC2 stand-ins', () => {
  test('the role is assumed with the default chain and DescribeInstances is signed with the temporary keys', async () => {
    await serve();
    const p = poller(VIA_CHAIN);
    const report = await p.runOnce();
    expect(report.targets).toEqual([{ id: expect.stringMatching(/^eu-central-1\/role-[0-9a-f]{16}$/), region: 'eu-central-1', instances: 1 }]);

    expect(sts!.requests).toHaveLength(1);
    expect(sts!.requests[0]).toMatchObject({ accessKeyId: CHAIN_KEY.id, region: 'eu-central-1', service: 'sts' });
    expect(sts!.requests[0]!.params.get('RoleArn')).toBe(ROLE);
    expect(sts!.requests[0]!.params.get('RoleSessionName')).toBe('backendkit-ec2-discovery');
    expect(ec2!.requests).toHaveLength(1);
    expect(ec2!.requests[0]).toMatchObject({ accessKeyId: sts!.issued[0]!.accessKeyId, region: 'eu-central-1', service: 'ec2' });

    const { condition, output, result } = translate(p, VIA_CHAIN);
    expect(result.diagnostics).toEqual([]);
    expect(condition).toEqual({ type: 'EndpointsDiscovered', status: 'True', reason: 'Discovered', message: '1 endpoints active' });
    expect(output.clusters.map((c) => c.name)).toEqual(['backend_shop_api_0']);
  });

  test('with a secretRef, the Secret keys are the source credentials', async () => {
    await serve();
    const p = poller(VIA_SECRET);
    await p.runOnce();
    expect(sts!.requests[0]).toMatchObject({ accessKeyId: SECRET_KEY.id, service: 'sts' });
    expect(ec2!.requests[0]!.accessKeyId).toBe(sts!.issued[0]!.accessKeyId);
    expect(translate(p, VIA_SECRET).condition).toMatchObject({ status: 'True', reason: 'Discovered' });
  });

  test('temporary credentials are reused until shortly before they expire, then renewed', async () => {
    let clock = Date.now();
    await serve(() => ({ expiresInSeconds: 3600 }));
    const p = poller(VIA_CHAIN, { assumeRole: { now: () => clock, refreshMarginMs: 5 * 60_000 } });
    await p.runOnce();
    clock += 54 * 60_000; // 6 minutes left: still good
    await p.runOnce();
    expect(sts!.requests).toHaveLength(1);
    clock += 2 * 60_000; // 4 minutes left: inside the margin
    await p.runOnce();
    expect(sts!.requests).toHaveLength(2);
    expect(ec2!.requests.map((r) => r.accessKeyId)).toEqual([sts!.issued[0]!.accessKeyId, sts!.issued[0]!.accessKeyId, sts!.issued[1]!.accessKeyId]);
  });

  test('AccessDenied from STS is an AuthorizationError; EC2 is not called', async () => {
    await serve(() => ({
      error: 'AccessDenied',
      message: `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
    }));
    const p = poller(VIA_CHAIN);
    const report = await p.runOnce();
    expect(ec2!.requests).toHaveLength(0);
    expect(report.targets[0]!.failure).toEqual({
      reason: 'AuthorizationError',
      code: 'AccessDenied',
      message: `AssumeRole ${ROLE}: AccessDenied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
    });
    const { condition, result } = translate(p, VIA_CHAIN);
    expect(condition).toMatchObject({ status: 'False', reason: 'AuthorizationError' });
    // proto3 JSON leaves an empty list out.
    expect(result.assignments[0]!.endpoints ?? []).toEqual([]);
  });

  test('bad source keys are a CredentialError, and the message never holds a key', async () => {
    await serve(() => ({
      error: 'InvalidClientTokenId',
      message: `The security token included in the request is invalid: ${SECRET_KEY.id} ${SECRET_KEY.secret}`,
    }));
    const p = poller(VIA_SECRET);
    const report = await p.runOnce();
    const failure = report.targets[0]!.failure!;
    expect(failure).toMatchObject({ reason: 'CredentialError', code: 'InvalidClientTokenId' });
    expect(failure.message).toBe(`AssumeRole ${ROLE}: InvalidClientTokenId: The security token included in the request is invalid: *** ***`);
    const { output } = translate(p, VIA_SECRET);
    expect(JSON.stringify(output)).not.toContain(SECRET_KEY.secret);
    expect(JSON.stringify(output)).not.toContain(SECRET_KEY.id);
  });

  test('no source credentials in the default chain is a CredentialError', async () => {
    await serve();
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const report = await poller(VIA_CHAIN).runOnce();
    expect(sts!.requests).toHaveLength(0);
    expect(report.targets[0]!.failure).toMatchObject({ reason: 'CredentialError', code: 'CredentialsProviderError' });
    expect(report.targets[0]!.failure!.message).toMatch(new RegExp(`^AssumeRole ${ROLE}: CredentialsProviderError: `));
  });

  test('a failed AssumeRole keeps the last good endpoints (Degraded), and a good one recovers', async () => {
    let clock = Date.now();
    let deny = false;
    await serve(() => (deny ? { error: 'AccessDenied', message: 'not allowed' } : { expiresInSeconds: 900 }));
    const p = poller(VIA_CHAIN, { assumeRole: { now: () => clock } });
    await p.runOnce();
    const good = translate(p, VIA_CHAIN);
    deny = true;
    clock += 15 * 60_000; // expired: STS is asked again and refuses
    await p.runOnce();
    const degraded = translate(p, VIA_CHAIN);
    expect(degraded.output.assignments).toEqual(good.output.assignments);
    expect(good.output.assignments).not.toEqual([]);
    expect(degraded.condition).toEqual({
      type: 'EndpointsDiscovered',
      status: 'False',
      reason: 'Degraded',
      message: `discovery failed (AuthorizationError: AssumeRole ${ROLE}: AccessDenied: not allowed); keeping the last good endpoints: 1 endpoints active`,
    });
    deny = false;
    await p.runOnce();
    expect(translate(p, VIA_CHAIN).condition).toMatchObject({ status: 'True', reason: 'Discovered' });
    expect(sts!.requests).toHaveLength(3);
  });

  test('AWS_ENDPOINT_URL_STS points the SDK at another STS when no stsEndpoint is given (the CLI relies on it)', async () => {
    await serve();
    process.env.AWS_ENDPOINT_URL_STS = sts!.endpoint;
    try {
      const targets = ec2Targets(loadText(VIA_CHAIN).objects);
      const report = await new Ec2Poller({ timeoutMs: 2000, endpoint: ec2!.endpoint, targets: () => targets }).runOnce();
      expect(report.targets[0]!.instances).toBe(1);
      expect(sts!.requests).toHaveLength(1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_STS;
    }
  });

  test('an STS that hangs fails the pass at its deadline, like a hanging EC2', async () => {
    await serve(() => ({ hang: true }));
    const report = await poller(VIA_CHAIN, { timeoutMs: 200 }).runOnce();
    expect(ec2!.requests).toHaveLength(0);
    expect(report.targets[0]!.failure).toMatchObject({ reason: 'DiscoveryError', code: 'Timeout' });
  });
});
