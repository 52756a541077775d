import { isData, onlyKeys, wellFormedBase } from '@backendkit/aws-common';
import { DEFAULT_PORT, MAX_FILTERS, type AwsEc2Spec, type Ec2Filter, type Ec2Spec } from './schema';

// A hand-written check of `spec.aws` with `ec2` for the common case (core's `wellFormed` hook;
// docs/performance.md, "The translation's own work"). Narrower than `awsEc2Schema`, never wider:
// plain objects with only the fields the schema names, each within its rules, and the schema's
// defaults filled in as it fills them; an AssumeRole `auth` and anything else go to the schema,
// which words the problems. test/well-formed.test.ts compares the two.

const AWS_KEYS: ReadonlySet<string> = new Set(['region', 'accountId', 'auth', 'ec2']);
const EC2_KEYS: ReadonlySet<string> = new Set(['port', 'addressType', 'filters']);
const FILTER_KEYS: ReadonlySet<string> = new Set(['key', 'keyValue']);
const KEY_VALUE_KEYS: ReadonlySet<string> = new Set(['key', 'value']);

/** `spec.aws` as `awsEc2Schema` would output it, or undefined when the check cannot vouch for it. */
export function wellFormedEc2(value: unknown): AwsEc2Spec | undefined {
  if (!isData(value) || !onlyKeys(value, AWS_KEYS)) return undefined;
  const base = wellFormedBase(value);
  const ec2 = value.ec2;
  if (!base || !isData(ec2) || !onlyKeys(ec2, EC2_KEYS)) return undefined;
  const { port = DEFAULT_PORT, addressType = 'PrivateIP', filters = [] } = ec2;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  if (addressType !== 'PrivateIP' && addressType !== 'PublicIP') return undefined;
  if (!Array.isArray(filters) || Object.getPrototypeOf(filters) !== Array.prototype || filters.length > MAX_FILTERS) return undefined;
  const read: Ec2Filter[] = [];
  for (let i = 0; i < filters.length; i++) {
    const filter = wellFormedFilter(filters[i]);
    if (!filter) return undefined;
    read.push(filter);
  }
  const spec: Ec2Spec = { port, addressType, filters: read };
  // The base is this check's own new object: completed, not spread into another.
  const aws = base as AwsEc2Spec;
  aws.ec2 = spec;
  return aws;
}

/** One tag filter: `key` or `keyValue`, exactly one. */
function wellFormedFilter(value: unknown): Ec2Filter | undefined {
  if (!isData(value) || !onlyKeys(value, FILTER_KEYS)) return undefined;
  const { key, keyValue } = value;
  if (keyValue === undefined) return typeof key === 'string' && key !== '' ? { key } : undefined;
  if (key !== undefined || !isData(keyValue) || !onlyKeys(keyValue, KEY_VALUE_KEYS)) return undefined;
  const { key: tag, value: tagValue } = keyValue;
  return typeof tag === 'string' && tag !== '' && typeof tagValue === 'string' ? { keyValue: { key: tag, value: tagValue } } : undefined;
}
