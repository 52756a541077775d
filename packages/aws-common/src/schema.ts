import { z } from 'zod';

export const DEFAULT_REGION = 'us-east-1';

/** The patterns of the schemas below, shared with the quick checks (well-formed.ts). */
export const REGION = /^[a-z0-9-]+$/;
export const ACCOUNT_ID = /^[0-9]{12}$/;

export const regionSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty', abort: true })
  .max(63, { error: 'must be at most 63 characters' })
  .regex(REGION, { error: 'must match ^[a-z0-9-]+$ (e.g. us-east-1)' });

export const accountIdSchema = z.string({ error: 'must be a string of 12 digits (quote it in YAML)' }).regex(ACCOUNT_ID, {
  error: 'must be 12 digits',
});

/**
 * Why an AssumeRole Backend cannot be translated where the output has no `aws_request_signing`
 * credential provider (Lambda with the legacy cluster shape); see docs/aws-lambda.md.
 */
export const ASSUME_ROLE_UNSUPPORTED =
  "AssumeRole cannot be expressed by the Envoy API backendkit targets (the aws_lambda filter takes static credentials or the default chain); use type: Secret, or leave auth out to use the proxy's default AWS credential chain";

// An IAM role ARN in any partition: arn:aws:iam::123456789012:role/name (paths allowed).
const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/;

export const assumeRoleSchema = z.strictObject({
  roleArn: z.string({ error: 'must be a string' }).regex(ROLE_ARN, { error: 'must be an IAM role ARN, e.g. arn:aws:iam::123456789012:role/lambda-invoker' }),
});

/**
 * `auth` for a variant whose credentials the proxy uses (Lambda): `Secret` needs `secretRef`;
 * `AssumeRole` takes `assumeRole.roleArn` (and no `secretRef`), whose presence the variant checks
 * itself, since what it can express depends on the output shape. EC2, whose calls the control plane
 * makes itself, uses `roleAuthSchema` instead.
 */
export const authSchema = z
  .strictObject({
    type: z.enum(['Secret', 'AssumeRole'], { error: 'must be Secret or AssumeRole' }),
    secretRef: z.strictObject({ name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }) }).optional(),
    assumeRole: assumeRoleSchema.optional(),
  })
  .superRefine((auth, ctx) => {
    if (auth.type === 'Secret' && !auth.secretRef) ctx.addIssue({ code: 'custom', path: ['secretRef'], message: 'required when type is Secret' });
    // Each field belongs to one type: a leftover one would be silently unused.
    if (auth.type === 'Secret' && auth.assumeRole) ctx.addIssue({ code: 'custom', path: ['assumeRole'], message: 'only allowed when type is AssumeRole' });
    if (auth.type === 'AssumeRole' && auth.secretRef) {
      ctx.addIssue({
        code: 'custom',
        path: ['secretRef'],
        message: "not used with type AssumeRole (the proxy's default credential chain calls STS); remove it",
      });
    }
  });

const secretRefSchema = z.strictObject({ name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }) });

/**
 * `auth` for a variant whose AWS calls the control plane makes itself (EC2 discovery), where
 * AssumeRole is possible: the role is assumed with the Secret's keys when `secretRef` is given, else
 * with the default credential chain.
 */
export const roleAuthSchema = z
  .strictObject({
    type: z.enum(['Secret', 'AssumeRole'], { error: 'must be Secret or AssumeRole' }),
    secretRef: secretRefSchema.optional(),
    assumeRole: assumeRoleSchema.optional(),
  })
  .superRefine((auth, ctx) => {
    if (auth.type === 'AssumeRole' && !auth.assumeRole) ctx.addIssue({ code: 'custom', path: ['assumeRole'], message: 'required when type is AssumeRole' });
    if (auth.type === 'Secret' && !auth.secretRef) ctx.addIssue({ code: 'custom', path: ['secretRef'], message: 'required when type is Secret' });
    if (auth.type === 'Secret' && auth.assumeRole) ctx.addIssue({ code: 'custom', path: ['assumeRole'], message: 'only allowed when type is AssumeRole' });
  });

export type AwsRoleAuth = z.output<typeof roleAuthSchema>;

/** The `spec.aws` fields every AWS variant shares; a variant adds its own key to this shape. */
export const awsBaseShape = {
  region: regionSchema.default(DEFAULT_REGION),
  accountId: accountIdSchema.optional(),
  auth: authSchema.optional(),
};

export type AwsAuth = z.output<typeof authSchema>;
