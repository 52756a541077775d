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

/** The `spec.aws` fields every AWS variant shares; a variant adds its own key to this shape. */
export const awsBaseShape = {
  region: regionSchema.default(DEFAULT_REGION),
  accountId: accountIdSchema.optional(),
  auth: authSchema.optional(),
};

export type AwsAuth = z.output<typeof authSchema>;
