import { DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import type { AwsCredentials } from '@backendkit/aws-common';
import { redact } from '@backendkit/core/helpers';
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

/**
 * Bytes of one DescribeInstances reply. A page of 1000 instances is a few MB of XML; the SDK parses
 * a reply whole and synchronously (a 300 MB one exhausts the heap, a 60 MB one blocks for seconds),
 * so a larger reply is refused before it is parsed (docs/security.md).
 */
export const DEFAULT_MAX_REPLY_BYTES = 32 * 1024 * 1024;

/** A reply refused before the SDK parsed it: too large, or a 2xx that is not a DescribeInstancesResponse. */
export class InvalidReplyError extends Error {
  override name = 'InvalidReply';
}

/** Error codes AWS uses when a caller goes over its request rate. */
const THROTTLING = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException']);
const CREDENTIAL = new Set(['AuthFailure', 'CredentialsProviderError', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'UnrecognizedClientException']);
const AUTHORIZATION = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);

/**
 * An EC2 client for one target. `maxAttempts: 1` because retries of throttled calls are ours
 * (`describeAllInstances`), so they stay inside the pass's deadline.
 */
export function createEc2Client(target: DiscoveryTarget, endpoint?: string): EC2Client {
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
export async function describeAllInstances(
  client: EC2Client,
  signal: AbortSignal,
  throttle: ThrottleOptions = DEFAULT_THROTTLE,
  maxReplyBytes: number = DEFAULT_MAX_REPLY_BYTES,
): Promise<Ec2Instance[]> {
  const instances: Ec2Instance[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const input = { MaxResults: 1000, Filters: [{ Name: 'instance-state-name', Values: ['running'] }], ...(token ? { NextToken: token } : {}) };
    for (let attempt = 0; ; attempt++) {
      try {
        const command = new DescribeInstancesCommand(input);
        // Typed loosely: the SDK's middleware types come from a package this one does not depend on.
        command.middlewareStack.add(replyGuard(maxReplyBytes, signal) as never, { step: 'deserialize', priority: 'low', name: 'backendkitReplyGuard' });
        const page = await client.send(command, { abortSignal: signal });
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

interface RawResponse {
  statusCode: number;
  body: unknown;
}

/**
 * Sits between the HTTP handler and the SDK's parser: reads the reply body itself, at most
 * `maxBytes` of it (stopping when the pass is aborted), and refuses a successful reply that is not a
 * `DescribeInstancesResponse` — an empty body, a proxy's HTML page or an `<Errors>` document would
 * otherwise parse as "no instances" and wipe the endpoints. The SDK then parses the bytes read.
 */
function replyGuard(maxBytes: number, signal: AbortSignal) {
  return (next: (args: unknown) => Promise<{ response: unknown }>) =>
    async (args: unknown): Promise<{ response: unknown }> => {
      const result = await next(args);
      const response = result.response as RawResponse;
      const body = await readCapped(response.body, maxBytes, signal);
      if (response.statusCode >= 200 && response.statusCode < 300 && !isDescribeInstancesResponse(body)) {
        throw new InvalidReplyError(`DescribeInstances answered HTTP ${response.statusCode} with ${body.length === 0 ? 'an empty body' : 'a document that is not a DescribeInstancesResponse'}`);
      }
      response.body = body;
      return result;
    };
}

async function readCapped(body: unknown, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
  if (body instanceof Uint8Array) {
    if (body.length > maxBytes) throw tooLarge(maxBytes);
    return body;
  }
  if (body === undefined || body === null) return new Uint8Array();
  const stream = body as AsyncIterable<Uint8Array | string> & { destroy?: (error?: Error) => void };
  const chunks: Buffer[] = [];
  let size = 0;
  const onAbort = (): void => stream.destroy?.(signal.reason as Error);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      size += bytes.length;
      if (size > maxBytes) {
        stream.destroy?.();
        throw tooLarge(maxBytes);
      }
      chunks.push(bytes);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (signal.aborted) throw signal.reason;
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): InvalidReplyError {
  return new InvalidReplyError(`the DescribeInstances reply is larger than ${maxBytes} bytes (maxReplyBytes): refused`);
}

/** The root element, after an XML declaration, comments and whitespace, is `DescribeInstancesResponse`. */
function isDescribeInstancesResponse(body: Uint8Array): boolean {
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 4096)).toString('utf8');
  return /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<DescribeInstancesResponse[\s>]/.test(head);
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

/** Characters of a server's message kept in a failure (after redaction). */
const MAX_MESSAGE = 300;

/**
 * The reasons of docs/aws-ec2.md: bad or missing keys → CredentialError, a denied call → AuthorizationError,
 * anything else → DiscoveryError. Credential values — the target's, and `resolved`, what the SDK's
 * credential chain found (environment, profile, ...) — are cut out of whatever the server said, the
 * error code included, in every encoding `redact` knows, before the message is cut to length.
 */
export function classifyFailure(error: unknown, target: DiscoveryTarget, resolved?: Partial<AwsCredentials>): DiscoveryFailure {
  const secrets = [target.credentials, resolved].flatMap((c) => [c?.accessKeyId, c?.secretAccessKey, c?.sessionToken]);
  const clean = (text: string) => redact(text, secrets, '***');
  const name = errorName(error);
  const code = name && name !== 'Error' ? clean(name).slice(0, 100) : '';
  const raw = error instanceof Error ? error.message : String(error);
  const message = firstLine(clean(raw)).slice(0, MAX_MESSAGE);
  const reason = CREDENTIAL.has(name) ? 'CredentialError' : AUTHORIZATION.has(name) ? 'AuthorizationError' : 'DiscoveryError';
  return { reason, message: code ? `${code}: ${message}` : message, ...(code ? { code } : {}) };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
