import { z } from 'zod';
import { accountIdSchema, awsBaseShape } from '@backendkit/aws-common';
import { parseEndpointUrl } from './endpoint';

export const INVOCATION_MODES = ['Sync', 'Async'] as const;
export const PAYLOAD_TRANSFORM_MODES = ['Envoy', 'None'] as const;
export const LATEST = '$LATEST';

export const FUNCTION_NAME = /^[A-Za-z0-9-_]{1,140}$/;
// `$LATEST`, a version number, or an alias; digits are a subset of the alias pattern.
export const QUALIFIER = /^(?:\$LATEST|[A-Za-z0-9-_]{1,128})$/;

export const lambdaSchema = z.strictObject({
  accountId: accountIdSchema.optional(),
  functionName: z.string({ error: 'must be a string' }).regex(FUNCTION_NAME, { error: 'must be 1 to 140 letters, digits, - or _ (^[A-Za-z0-9-_]{1,140}$)' }),
  qualifier: z
    .string({ error: 'must be a string (quote version numbers in YAML)' })
    .regex(QUALIFIER, { error: 'must be $LATEST, a version number, or an alias of 1 to 128 letters, digits, - or _' })
    .default(LATEST),
  invocationMode: z.enum(INVOCATION_MODES, { error: 'must be Sync or Async' }).default('Sync'),
  payloadTransformMode: z.enum(PAYLOAD_TRANSFORM_MODES, { error: 'must be Envoy or None' }).default('Envoy'),
  endpointURL: z
    .string({ error: 'must be a string' })
    .superRefine((url, ctx) => {
      const parsed = parseEndpointUrl(url);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    })
    .optional(),
});

const MISSING_ACCOUNT = 'required here or in spec.aws.accountId: the 12-digit id of the AWS account that owns the function';

/**
 * The whole `spec.aws` object when `lambda` is set: the shared AWS fields plus `lambda`. The EC2
 * plugin validates its own variant the same way; core has already checked that only one is set.
 */
export const awsLambdaSchema = z.strictObject({ ...awsBaseShape, lambda: lambdaSchema }).check(
  z.superRefine(
    (aws, ctx) => {
      const lambda: unknown = aws.lambda;
      const onLambda = typeof lambda === 'object' && lambda !== null && (lambda as { accountId?: unknown }).accountId != null;
      if (!onLambda && aws.accountId == null) ctx.addIssue({ code: 'custom', path: ['lambda', 'accountId'], message: MISSING_ACCOUNT });
    },
    // Run even when other fields are wrong, so a user sees every problem at once.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  ),
);

export type LambdaSpec = z.output<typeof lambdaSchema>;
export type AwsLambdaSpec = z.output<typeof awsLambdaSchema>;
