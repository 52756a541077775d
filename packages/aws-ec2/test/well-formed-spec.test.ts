import fc from 'fast-check';
import { propertyRuns } from '@backendkit/testing';
import { awsEc2Schema } from '@backendkit/aws-ec2';
import { wellFormedEc2 } from '../src/well-formed';
import { awsAuth, ABSENT, field, junk, partial, shaped, expectVouchedAsSchema } from '../../../scripts/test-support/spec-draws';

// The quick check (src/well-formed.ts) stands in for `awsEc2Schema` on well-formed specs: whatever
// it vouches for, the schema must accept and output the very same (defaults included). Random specs,
// every field drawn from right and wrong values alike, keys left out or written as undefined.

const RUNS = propertyRuns(4000);

const filter = fc.oneof(
  { weight: 4, arbitrary: shaped(partial({ key: field('app', 'team', '', 1) })) },
  { weight: 4, arbitrary: shaped(partial({ keyValue: shaped(partial({ key: field('app', 'env', '', 2), value: field('web', '', 3) })) })) },
  { weight: 1, arbitrary: shaped(partial({ key: field('app'), keyValue: shaped(partial({ key: field('app'), value: field('web') })) })) },
  { weight: 1, arbitrary: junk },
);
const ec2 = shaped(
  partial({
    port: field(8080, 80, 1, 65535, 0, 65536, 8.5, '80'),
    addressType: field('PrivateIP', 'PublicIP', 'privateip', ''),
    filters: fc.oneof(
      { weight: 2, arbitrary: fc.constant<unknown>(ABSENT) },
      { weight: 6, arbitrary: fc.array(filter, { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.array(filter, { minLength: 15, maxLength: 18 }) },
      { weight: 1, arbitrary: junk },
    ),
  }),
);
const aws = fc.oneof(
  {
    weight: 8,
    arbitrary: shaped(
      partial({ region: field('eu-west-1', 'us-east-1', 'EU', '', 'x'.repeat(64), 1), accountId: field('123456789012', 'nope'), auth: awsAuth, ec2 }),
    ),
  },
  { weight: 1, arbitrary: junk },
);

describe('wellFormedEc2 (the quick check of spec.aws with ec2)', () => {
  test('vouches for the common specs, with the defaults the schema fills in', () => {
    expect(wellFormedEc2({ region: 'eu-west-1', ec2: { port: 8080, filters: [{ keyValue: { key: 'app', value: 'web' } }] } })).toStrictEqual({
      region: 'eu-west-1',
      ec2: { port: 8080, addressType: 'PrivateIP', filters: [{ keyValue: { key: 'app', value: 'web' } }] },
    });
    expect(wellFormedEc2({ ec2: {} })).toStrictEqual({ region: 'us-east-1', ec2: { port: 80, addressType: 'PrivateIP', filters: [] } });
  });

  test('leaves to the schema what it cannot vouch for', () => {
    for (const value of [
      { ec2: { filters: [{ key: 'app', keyValue: { key: 'app', value: 'web' } }] } },
      { ec2: { filters: [{}] } },
      { auth: { type: 'AssumeRole', assumeRole: { roleArn: 'arn:aws:iam::123456789012:role/x' } }, ec2: {} },
      { ec2: { port: undefined } },
      { lambda: {}, ec2: {} },
    ]) {
      expect(wellFormedEc2(value)).toBeUndefined();
    }
  });

  test('property: what it vouches for, the schema accepts and outputs the same', () => {
    expectVouchedAsSchema(wellFormedEc2, awsEc2Schema, aws, RUNS, 20);
  });
});
