import { join } from 'node:path';
import { assertStrictEnvoy } from '@backendkit/testing';
import { startFakeEc2, type FakeEc2 } from '../../aws-ec2/test/helpers/fake-ec2';
import { cli } from './run-cli';

// Live runs go to the local fake server only; the SDK must not look for an instance role.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const root = join(__dirname, '..', '..', '..');

interface Document {
  clusters: { name: string }[];
  assignments: {
    clusterName: string;
    endpoints?: { locality: { zone: string }; lbEndpoints: { endpoint: { address: { socketAddress: { address: string; portValue: number } } } }[] }[];
  }[];
  statuses: { name: string; conditions: { type: string; status: string; reason: string; message: string }[] }[];
}

const addresses = (doc: Document, cluster: string): string[] =>
  (doc.assignments.find((e) => e.clusterName === cluster)?.endpoints ?? []).flatMap((l) =>
    l.lbEndpoints.map((e) => `${e.endpoint.address.socketAddress.address}:${e.endpoint.address.socketAddress.portValue}`),
  );
const discovered = (doc: Document, name: string) => doc.statuses.find((s) => s.name === name)?.conditions.find((c) => c.type === 'EndpointsDiscovered');

describe('backendkit translate: EC2 instances', () => {
  test('--ec2-instances reads describe-instances JSON (the example)', async () => {
    const { code, stdout, stderr } = await cli(['translate', 'examples/aws-ec2.yaml', '--ec2-instances', 'examples-data/ec2-instances.json'], '', root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as Document;
    assertStrictEnvoy(doc as never);
    expect(addresses(doc, 'backend_default_web_0')).toEqual(['10.0.1.15:8080', '10.0.2.27:8080']);
    expect(addresses(doc, 'backend_default_edge_0')).toEqual(['198.51.100.40:443']);
    expect(discovered(doc, 'web')).toMatchObject({ status: 'True', message: '2 endpoints active' });
  });

  test('every example translates, with and without instances', async () => {
    const withInstances = await cli(['translate', 'examples', '--ec2-instances', 'examples-data/ec2-instances.json'], '', root);
    expect(withInstances.code).toBe(0);
    assertStrictEnvoy(JSON.parse(withInstances.stdout));
    const without = await cli(['translate', 'examples'], '', root);
    expect(without.code).toBe(0);
    expect(without.stderr).toContain('Backend default/web: spec.aws.ec2: no EC2 instance source is configured');
  });

  test.each([
    ['a malformed file', ['--ec2-instances', 'examples/aws-ec2.yaml'], /^backendkit translate: --ec2-instances: examples\/aws-ec2.yaml is not valid JSON: /],
    ['a file of the wrong shape', ['--ec2-instances', 'packages/aws-ec2/package.json'], /is not describe-instances output: Reservations: must be a list\n/],
    ['a missing file', ['--ec2-instances', 'nope.json'], /^backendkit translate: cannot read --ec2-instances nope.json: no such file\n/],
    ['both sources', ['--ec2-instances', 'x.json', '--discover-ec2'], /cannot be used together/],
    ['an endpoint without --discover-ec2', ['--ec2-endpoint', 'http://127.0.0.1:1'], /--ec2-endpoint needs --discover-ec2/],
    [
      'an endpoint that is not a URL',
      ['--discover-ec2', '--ec2-endpoint', 'localhost:4566'],
      /--ec2-endpoint must be an http:\/\/ or https:\/\/ URL, not "localhost:4566"/,
    ],
  ])('%s: exit 2 with a plain message', async (_, args, message) => {
    const { code, stdout, stderr } = await cli(['translate', 'examples/aws-ec2.yaml', ...args], '', root);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  describe('--discover-ec2', () => {
    let fake: FakeEc2;
    afterEach(() => fake.close());

    const input = `
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {accessKey: AKIDFAKECLI000000001, secretKey: cli-secret}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: live}
spec:
  aws:
    region: ap-south-1
    auth: {type: Secret, secretRef: {name: creds}}
    ec2: {port: 9090}
`;

    test('one live pass against --ec2-endpoint before translating', async () => {
      fake = await startFakeEc2(() => ({
        reservations: [
          [
            { id: 'i-2', privateIp: '10.9.0.2', zone: 'ap-south-1b' },
            { id: 'i-1', privateIp: '10.9.0.1', zone: 'ap-south-1a' },
          ],
        ],
      }));
      const { code, stdout, stderr } = await cli(['translate', '-', '--discover-ec2', '--ec2-endpoint', fake.endpoint], input, root);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(fake.requests.map((r) => [r.region, r.accessKeyId])).toEqual([['ap-south-1', 'AKIDFAKECLI000000001']]);
      const doc = JSON.parse(stdout) as Document;
      assertStrictEnvoy(doc as never);
      expect(addresses(doc, 'backend_default_live_0')).toEqual(['10.9.0.1:9090', '10.9.0.2:9090']);
    });

    test('a failed call is reported in the status, as a warning on the Backend and as an error (exit 1); the cluster stays', async () => {
      fake = await startFakeEc2(() => ({ error: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' }));
      const { code, stdout, stderr } = await cli(['translate', '-', '--discover-ec2', '--ec2-endpoint', fake.endpoint], input, root);
      expect(code).toBe(1);
      const doc = JSON.parse(stdout) as Document;
      expect(doc.clusters.map((c) => c.name)).toEqual(['backend_default_live_0']);
      expect(discovered(doc, 'live')).toEqual({
        type: 'EndpointsDiscovered',
        status: 'False',
        reason: 'AuthorizationError',
        message: 'UnauthorizedOperation: You are not authorized to perform this operation.',
      });
      expect(stderr).toBe(
        '<stdin>:14:10: warning: Backend default/live: spec.aws.ec2: EC2 discovery in ap-south-1 failed: UnauthorizedOperation: You are not authorized to perform this operation.\n' +
          'error: --discover-ec2 failed for ap-south-1: UnauthorizedOperation: You are not authorized to perform this operation.\n',
      );
    });
  });
});
