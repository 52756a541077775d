import type * as Ec2Plugin from '../src';

// @aws-sdk/client-ec2 is an optional peer dependency (issue 16, packages point 4): loading the
// plugin never needs it, and live discovery without it fails with a message saying what to install.

test('without the AWS SDK, the plugin loads and a discovery pass fails with what to install', async () => {
  jest.doMock('@aws-sdk/client-ec2', () => {
    throw Object.assign(new Error("Cannot find module '@aws-sdk/client-ec2'"), { code: 'MODULE_NOT_FOUND' });
  });
  const ec2 = jest.requireActual<typeof Ec2Plugin>('../src');
  expect(ec2.awsEc2Plugin().name).toBe('@backendkit/aws-ec2');
  const { report, source } = await ec2.discoverOnce([
    ec2.discoveryTarget('us-east-1', { accessKeyId: 'AKIDFAKEEXAMPLE00011', secretAccessKey: 'fake-secret-11' }),
  ]);
  expect(report.targets).toEqual([
    {
      id: expect.any(String),
      region: 'us-east-1',
      failure: {
        reason: 'DiscoveryError',
        code: 'SdkMissingError',
        message: 'SdkMissingError: live EC2 discovery needs the AWS SDK: install @aws-sdk/client-ec2 (offline instance files do not)',
      },
    },
  ]);
  expect(source).toBeDefined();
});
