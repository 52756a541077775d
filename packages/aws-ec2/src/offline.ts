import { joinPath } from '@backendkit/core/helpers';
import { z } from 'zod';
import type { Ec2Instance } from './instances';

/** A file of instances that cannot be used; the message says where and why. */
export class InstancesFileError extends Error {
  override name = 'InstancesFileError';
}

const text = z.string({ error: 'must be a string' });

// Only the fields backendkit reads are checked; `aws ec2 describe-instances` prints many more.
const instanceSchema = z.looseObject({
  InstanceId: text.min(1, { error: 'must not be empty' }),
  State: z.looseObject({ Name: text }, { error: 'must be an object with Name' }),
  PrivateIpAddress: text.optional(),
  PublicIpAddress: text.optional(),
  Placement: z.looseObject({ AvailabilityZone: text.optional() }, { error: 'must be an object' }).optional(),
  Tags: z.array(z.looseObject({ Key: text, Value: text }), { error: 'must be a list of {Key, Value}' }).optional(),
});

const outputSchema = z.looseObject(
  {
    Reservations: z.array(z.looseObject({ Instances: z.array(instanceSchema, { error: 'must be a list' }) }), { error: 'must be a list' }),
  },
  { error: 'must be the JSON object that `aws ec2 describe-instances` prints ({"Reservations": [...]})' },
);

/**
 * Reads the JSON that `aws ec2 describe-instances` prints (docs/aws-ec2.md). Throws InstancesFileError
 * naming the first few problems; `file` is only used in messages.
 */
export function parseDescribeInstances(json: string, file = 'instances file'): Ec2Instance[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new InstancesFileError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = outputSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${joinPath('', issue.path) || '(top level)'}: ${issue.message}`);
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    throw new InstancesFileError(`${file} is not describe-instances output: ${problems.join('; ')}${more}`);
  }
  return parsed.data.Reservations.flatMap((reservation) =>
    reservation.Instances.map((i) => ({
      instanceId: i.InstanceId,
      state: i.State.Name,
      ...(i.Placement?.AvailabilityZone ? { availabilityZone: i.Placement.AvailabilityZone } : {}),
      ...(i.PrivateIpAddress ? { privateIpAddress: i.PrivateIpAddress } : {}),
      ...(i.PublicIpAddress ? { publicIpAddress: i.PublicIpAddress } : {}),
      tags: Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value])),
    })),
  );
}
