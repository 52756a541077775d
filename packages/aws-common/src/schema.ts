import { z } from 'zod';

export const DEFAULT_REGION = 'us-east-1';

export const regionSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty', abort: true })
  .max(63, { error: 'must be at most 63 characters' })
  .regex(/^[a-z0-9-]+$/, { error: 'must match ^[a-z0-9-]+$ (e.g. us-east-1)' });

export const accountIdSchema = z.string({ error: 'must be a string of 12 digits (quote it in YAML)' }).regex(/^[0-9]{12}$/, {
  error: 'must be 12 digits',
});

const ASSUME_ROLE =
  'AssumeRole cannot be expressed by the Envoy API backendkit targets (the aws_lambda filter takes static credentials or the default chain); use type: Secret, or leave auth out to use the proxy\'s default AWS credential chain';

export const authSchema = z
  .strictObject({
    type: z.enum(['Secret', 'AssumeRole'], { error: 'must be Secret' }),
    secretRef: z.strictObject({ name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }) }).optional(),
    assumeRole: z.unknown().optional(),
  })
  .superRefine((auth, ctx) => {
    if (auth.type === 'AssumeRole') ctx.addIssue({ code: 'custom', path: ['type'], message: ASSUME_ROLE });
    else if (!auth.secretRef) ctx.addIssue({ code: 'custom', path: ['secretRef'], message: 'required when type is Secret' });
  });

const secretRefSchema = z.strictObject({ name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }) });

// An IAM role ARN in any partition (aws, aws-cn, aws-us-gov), with an optional path.
const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/;

/** `auth.assumeRole`: the role the control plane assumes, as kgateway writes it. */
export const assumeRoleSchema = z.strictObject({
  roleArn: z.string({ error: 'must be a string' }).regex(ROLE_ARN, { error: 'must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)' }),
});

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
