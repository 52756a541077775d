import { ACCOUNT_ID, isData, onlyKeys, wellFormedBase } from '@backendkit/aws-common';
import { FUNCTION_NAME, LATEST, QUALIFIER, type AwsLambdaSpec, type LambdaSpec } from './schema';

// A hand-written check of `spec.aws` with `lambda` for the common case (core's `wellFormed` hook):
// the zod schema is most of what a Lambda Backend costs before its cluster is built
// (docs/performance.md, "The translation's own work"). Narrower than `awsLambdaSchema`, never
// wider: plain objects with only the fields the schema names, each within its rules, and the
// schema's defaults filled in as it fills them; an `endpointURL`, an AssumeRole `auth` and anything
// else go to the schema, which words the problems. test/well-formed.test.ts compares the two.

const AWS_KEYS: ReadonlySet<string> = new Set(['region', 'accountId', 'auth', 'lambda']);
const LAMBDA_KEYS: ReadonlySet<string> = new Set(['accountId', 'functionName', 'qualifier', 'invocationMode', 'payloadTransformMode']);

/** `spec.aws` as `awsLambdaSchema` would output it, or undefined when the check cannot vouch for it. */
export function wellFormedLambda(value: unknown): AwsLambdaSpec | undefined {
  if (!isData(value) || !onlyKeys(value, AWS_KEYS)) return undefined;
  const base = wellFormedBase(value);
  const lambda = value.lambda;
  if (!base || !isData(lambda) || !onlyKeys(lambda, LAMBDA_KEYS)) return undefined;
  const { accountId, functionName, qualifier = LATEST, invocationMode = 'Sync', payloadTransformMode = 'Envoy' } = lambda;
  if (typeof functionName !== 'string' || !FUNCTION_NAME.test(functionName)) return undefined;
  if (typeof qualifier !== 'string' || !QUALIFIER.test(qualifier)) return undefined;
  if (invocationMode !== 'Sync' && invocationMode !== 'Async') return undefined;
  if (payloadTransformMode !== 'Envoy' && payloadTransformMode !== 'None') return undefined;
  // The account: on the function, or for every AWS variant (the schema's own rule).
  if (accountId !== undefined && (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId))) return undefined;
  if (accountId === undefined && base.accountId === undefined) return undefined;
  const read: LambdaSpec =
    accountId === undefined
      ? { functionName, qualifier, invocationMode, payloadTransformMode }
      : { accountId, functionName, qualifier, invocationMode, payloadTransformMode };
  // The base is this check's own new object: completed, not spread into another.
  const spec = base as AwsLambdaSpec;
  spec.lambda = read;
  return spec;
}
