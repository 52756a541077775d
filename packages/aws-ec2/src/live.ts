import type { EC2Client, Instance } from '@aws-sdk/client-ec2';
import { redact } from '@backendkit/core';
import type { Ec2Instance } from './instances';
import type { DiscoveryFailure, DiscoveryTarget } from './source';

export interface ThrottleOptions {
  /** Retries of one throttled page within a pass. */
  retries: number;
  /** First wait; doubles with each retry, up to `maxDelayMs` (half of it random, so callers spread out). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { retries: 3, baseDelayMs: 250, maxDelayMs: 5000 };

/** Error codes AWS uses when a caller goes over its request rate. */
const THROTTLING = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException']);
const CREDENTIAL = new Set(['AuthFailure', 'CredentialsProviderError', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'UnrecognizedClientException']);
const AUTHORIZATION = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);

type Ec2Sdk = typeof import('@aws-sdk/client-ec2');
let sdk: Promise<Ec2Sdk> | undefined;

/**
 * The AWS SDK, loaded on first use: most translations have no EC2 Backend, and the SDK is the
 * largest and slowest dependency to load (docs/aws-ec2.md, docs/performance.md "CLI start-up").
 */
export function ec2Sdk(): Promise<Ec2Sdk> {
  sdk ??= import('@aws-sdk/client-ec2').catch((error: unknown) => {
    sdk = undefined;
    // An optional peer dependency: users of static and Kubernetes Backends need not download it.
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new SdkMissingError();
    throw error;
  });
  return sdk;
}

/** Live EC2 discovery without the AWS SDK installed. */
export class SdkMissingError extends Error {
  override name = 'SdkMissingError';
  constructor() {
    super('live EC2 discovery needs the AWS SDK: install @aws-sdk/client-ec2 (offline instance files do not)');
  }
}

/**
 * An EC2 client for one target (the SDK is loaded on the first call). `maxAttempts: 1` because retries of throttled calls are ours
 * (`describeAllInstances`), so they stay inside the pass's deadline.
 */
export async function createEc2Client(target: DiscoveryTarget, endpoint?: string): Promise<EC2Client> {
  const { EC2Client } = await ec2Sdk();
  return new EC2Client({
    region: target.region,
    maxAttempts: 1,
    ...(target.credentials ? { credentials: { ...target.credentials } } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
}

export function isThrottling(error: unknown): boolean {
  return THROTTLING.has(errorName(error));
}

/**
 * Every instance of the client's region: all pages (NextToken), only running ones (the plugin
 * checks the state again, for offline data). A throttled page is retried after a growing wait.
 */
export async function describeAllInstances(client: EC2Client, signal: AbortSignal, throttle: ThrottleOptions = DEFAULT_THROTTLE): Promise<Ec2Instance[]> {
  const { DescribeInstancesCommand } = await ec2Sdk();
  const instances: Ec2Instance[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const input = { MaxResults: 1000, Filters: [{ Name: 'instance-state-name', Values: ['running'] }], ...(token ? { NextToken: token } : {}) };
    for (let attempt = 0; ; attempt++) {
      try {
        const page = await client.send(new DescribeInstancesCommand(input), { abortSignal: signal });
        for (const reservation of page.Reservations ?? []) {
          for (const instance of reservation.Instances ?? []) {
            const converted = fromSdk(instance);
            if (converted) instances.push(converted);
          }
        }
        token = page.NextToken || undefined;
        break;
      } catch (error) {
        if (!isThrottling(error) || attempt >= throttle.retries) throw error;
        await sleep(backoff(throttle, attempt), signal);
      }
    }
    // A server that hands out the same token again would keep us paging until the deadline.
    if (token !== undefined) {
      if (seen.has(token)) throw new Error('DescribeInstances returned a page token it had returned before');
      seen.add(token);
    }
  } while (token !== undefined);
  return instances;
}

function fromSdk(instance: Instance): Ec2Instance | undefined {
  if (!instance.InstanceId) return undefined;
  const tags: Record<string, string> = {};
  for (const tag of instance.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  return {
    instanceId: instance.InstanceId,
    state: instance.State?.Name ?? 'unknown',
    ...(instance.Placement?.AvailabilityZone ? { availabilityZone: instance.Placement.AvailabilityZone } : {}),
    ...(instance.PrivateIpAddress ? { privateIpAddress: instance.PrivateIpAddress } : {}),
    ...(instance.PublicIpAddress ? { publicIpAddress: instance.PublicIpAddress } : {}),
    tags,
  };
}

function backoff(throttle: ThrottleOptions, attempt: number): number {
  const ceiling = Math.min(throttle.maxDelayMs, throttle.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** A wait that ends early (rejecting) when the pass is aborted, leaving no timer behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * SPEC §6 reasons: bad or missing keys → CredentialError, a denied call → AuthorizationError,
 * anything else → DiscoveryError. Credential values are cut out of whatever the server said.
 */
export function classifyFailure(error: unknown, target: DiscoveryTarget): DiscoveryFailure {
  const code = errorName(error);
  const raw = error instanceof Error ? error.message : String(error);
  const { accessKeyId, secretAccessKey, sessionToken } = target.credentials ?? {};
  const message = redact(firstLine(raw).slice(0, 300), [accessKeyId, secretAccessKey, sessionToken], '***');
  const text = code && code !== 'Error' ? `${code}: ${message}` : message;
  const reason = CREDENTIAL.has(code) ? 'CredentialError' : AUTHORIZATION.has(code) ? 'AuthorizationError' : 'DiscoveryError';
  return { reason, message: text, ...(code && code !== 'Error' ? { code } : {}) };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
