import { z } from 'zod';
import { portSchema } from '@backendkit/core/helpers';
import { awsBaseShape, roleAuthSchema } from '@backendkit/aws-common';

export const ADDRESS_TYPES = ['PrivateIP', 'PublicIP'] as const;
export const MAX_FILTERS = 16;
export const DEFAULT_PORT = 80;

const tagKey = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });

/** One tag filter: `key` (the tag is present, any value) or `keyValue` (the tag has this value). */
export const ec2FilterSchema = z
  .strictObject({
    key: tagKey.optional(),
    keyValue: z
      .strictObject({
        key: tagKey,
        // AWS allows empty tag values, so an empty value is a real filter.
        value: z.string({ error: 'must be a string' }),
      })
      .optional(),
  })
  .superRefine((filter, ctx) => {
    if ((filter.key === undefined) === (filter.keyValue === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'exactly one of the fields in [key keyValue] must be set' });
    }
  });

export const ec2Schema = z.strictObject({
  port: portSchema().default(DEFAULT_PORT),
  addressType: z.enum(ADDRESS_TYPES, { error: `must be one of ${ADDRESS_TYPES.join(', ')}` }).default('PrivateIP'),
  filters: z
    .array(ec2FilterSchema, { error: 'must be a list of filters' })
    .max(MAX_FILTERS, { error: `must list at most ${MAX_FILTERS} filters` })
    .default([]),
});

/**
 * The whole `spec.aws` object when `ec2` is the variant that is set. `auth` may be AssumeRole: the
 * control plane signs DescribeInstances itself, so it can assume the role (docs/aws-ec2.md).
 */
export const awsEc2Schema = z.strictObject({ ...awsBaseShape, auth: roleAuthSchema.optional(), ec2: ec2Schema });

export type Ec2Filter = z.output<typeof ec2FilterSchema>;
export type Ec2Spec = z.output<typeof ec2Schema>;
export type AwsEc2Spec = z.output<typeof awsEc2Schema>;
export type AddressType = (typeof ADDRESS_TYPES)[number];
