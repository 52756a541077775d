import { z } from 'zod';

/** `LocalPolicyTargetReference`: a target in the policy's own namespace. */
export const targetRefSchema = z.strictObject({
  group: z.string({ error: 'must be a string' }),
  kind: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  sectionName: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
});

/** `LocalPolicyTargetSelector`: every object of a kind in the namespace whose labels include these. */
export const targetSelectorSchema = z.strictObject({
  group: z.string({ error: 'must be a string' }),
  kind: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  matchLabels: z.record(z.string(), z.string({ error: 'must be a string' })),
});

export type TargetRef = z.output<typeof targetRefSchema>;
export type TargetSelector = z.output<typeof targetSelectorSchema>;
