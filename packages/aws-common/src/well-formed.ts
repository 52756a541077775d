import { ACCOUNT_ID, DEFAULT_REGION, REGION } from './schema';

// The shared part of the quick checks of `spec.aws` (core's `wellFormed` hook; docs/performance.md,
// "The translation's own work"): narrower than `awsBaseShape`, never wider. Each variant's check
// (aws-lambda, aws-ec2) adds its own key and compares itself with its schema in a property test.

type Data = Record<string, unknown>;

/** An object literal or `JSON.parse` output (not an array, not a class instance). */
export function isData(value: unknown): value is Data {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Whether every own key of `value` is one of `keys` and none holds `undefined` (a key written as
 * undefined is the schema's to read: it keeps such keys in its output).
 */
export function onlyKeys(value: Data, keys: ReadonlySet<string>): boolean {
  for (const key in value) if (!keys.has(key) || value[key] === undefined) return false;
  return true;
}

/** The shared fields as `awsBaseShape` outputs them, when the check can vouch for them. */
export interface WellFormedBase {
  region: string;
  accountId?: string;
  auth?: { type: 'Secret'; secretRef: { name: string } };
}

/**
 * `region`, `accountId` and `auth` of `spec.aws` as the schema would output them, or undefined.
 * `auth` is vouched for only as `type: Secret` with a `secretRef` (the rules of AssumeRole and of a
 * missing `secretRef` are the schema's to word).
 */
export function wellFormedBase(aws: Data): WellFormedBase | undefined {
  const { region, accountId, auth } = aws;
  let base: WellFormedBase;
  if (region === undefined) base = { region: DEFAULT_REGION };
  else if (typeof region === 'string' && region.length >= 1 && region.length <= 63 && REGION.test(region)) base = { region };
  else return undefined;
  if (accountId !== undefined) {
    if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) return undefined;
    base.accountId = accountId;
  }
  if (auth !== undefined) {
    if (!isData(auth) || !onlyKeys(auth, AUTH_KEYS) || auth.type !== 'Secret') return undefined;
    const ref = auth.secretRef;
    if (!isData(ref) || !onlyKeys(ref, NAME_KEY) || typeof ref.name !== 'string' || ref.name === '') return undefined;
    base.auth = { type: 'Secret', secretRef: { name: ref.name } };
  }
  return base;
}

const AUTH_KEYS: ReadonlySet<string> = new Set(['type', 'secretRef']);
const NAME_KEY: ReadonlySet<string> = new Set(['name']);
