import fc from 'fast-check';
import { propertyRuns } from '@backendkit/testing';
import { awsLambdaSchema } from '@backendkit/aws-lambda';
import { wellFormedLambda } from '../src/well-formed';
import { awsAuth, ABSENT, field, junk, partial, shaped, expectVouchedAsSchema } from '../../../scripts/test-support/spec-draws';

// The quick check (src/well-formed.ts) stands in for `awsLambdaSchema` on well-formed specs: whatever
// it vouches for, the schema must accept and output the very same (defaults included). Random specs,
// every field drawn from right and wrong values alike, keys left out or written as undefined.

const RUNS = propertyRuns(4000);

const lambda = shaped(
  partial({
    accountId: field('123456789012', '123456789012', '12345', 123456789012, ''),
    functionName: field('fn', 'my-function_1', 'x'.repeat(140), 'x'.repeat(141), 'bad name', '', 3),
    qualifier: field('$LATEST', '1', 'live', '$latest', '', 1),
    invocationMode: field('Sync', 'Async', 'sync', ''),
    payloadTransformMode: field('Envoy', 'None', 'envoy'),
    endpointURL: fc.constantFrom<unknown>(ABSENT, ABSENT, ABSENT, ABSENT, 'http://127.0.0.1:9001', 'ftp://x', undefined),
  }),
);
const aws = fc.oneof(
  {
    weight: 8,
    arbitrary: shaped(
      partial({ region: field('us-east-1', 'eu-west-1', 'EU', '', 'x'.repeat(64), 1), accountId: field('123456789012', 'nope'), auth: awsAuth, lambda }),
    ),
  },
  { weight: 1, arbitrary: junk },
);

describe('wellFormedLambda (the quick check of spec.aws with lambda)', () => {
  test('vouches for the common specs, with the defaults the schema fills in', () => {
    expect(wellFormedLambda({ region: 'us-east-1', lambda: { accountId: '123456789012', functionName: 'fn' } })).toStrictEqual({
      region: 'us-east-1',
      lambda: { accountId: '123456789012', functionName: 'fn', qualifier: '$LATEST', invocationMode: 'Sync', payloadTransformMode: 'Envoy' },
    });
    expect(
      wellFormedLambda({
        accountId: '123456789012',
        auth: { type: 'Secret', secretRef: { name: 'c' } },
        lambda: { functionName: 'fn', invocationMode: 'Async' },
      }),
    ).toStrictEqual({
      region: 'us-east-1',
      accountId: '123456789012',
      auth: { type: 'Secret', secretRef: { name: 'c' } },
      lambda: { functionName: 'fn', qualifier: '$LATEST', invocationMode: 'Async', payloadTransformMode: 'Envoy' },
    });
  });

  test('leaves to the schema what it cannot vouch for', () => {
    for (const value of [
      { lambda: { functionName: 'fn' } },
      { lambda: { accountId: '123456789012', functionName: 'fn', endpointURL: 'http://127.0.0.1:9001' } },
      { accountId: '123456789012', auth: { type: 'AssumeRole', assumeRole: { roleArn: 'arn:aws:iam::123456789012:role/x' } }, lambda: { functionName: 'fn' } },
      { accountId: '123456789012', lambda: { functionName: 'fn', qualifier: undefined } },
      { accountId: '123456789012', ec2: {}, lambda: { functionName: 'fn' } },
    ]) {
      expect(wellFormedLambda(value)).toBeUndefined();
    }
  });

  test('property: what it vouches for, the schema accepts and outputs the same', () => {
    expectVouchedAsSchema(wellFormedLambda, awsLambdaSchema, aws, RUNS, 20);
  });
});
