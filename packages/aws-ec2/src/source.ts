import { createHash } from 'node:crypto';
import type { AwsCredentials } from '@backendkit/aws-common';
import type { Ec2Instance } from './instances';

/** Why a discovery pass failed, as the `EndpointsDiscovered` condition names it (docs/aws-ec2.md). */
export type FailureReason = 'CredentialError' | 'AuthorizationError' | 'DiscoveryError';

export interface DiscoveryFailure {
  reason: FailureReason;
  /** Readable; never holds a credential value. */
  message: string;
  /** The AWS error code (`AuthFailure`, `RequestLimitExceeded`, ...) when there is one. */
  code?: string;
}

/** What is known about the instances of one region and set of credentials. */
export type DiscoveryState =
  | { status: 'ok'; instances: readonly Ec2Instance[] }
  /** The last pass failed; `lastGood` holds the instances of the last pass that worked, if any. */
  | { status: 'failed'; failure: DiscoveryFailure; lastGood?: readonly Ec2Instance[] }
  /** Nothing discovered yet (no pass has run for this target, or no source is configured). */
  | { status: 'pending'; message: string };

/**
 * One `DescribeInstances` call: a region and the credentials to sign with (absent = the default AWS
 * credential chain of the process). Backends with the same `id` share one call.
 */
export interface DiscoveryTarget {
  readonly id: string;
  readonly region: string;
  /** With `roleArn`: the source credentials the role is assumed with (absent = the default chain). */
  readonly credentials?: AwsCredentials;
  /** `auth.type: AssumeRole`: DescribeInstances is signed with this role's temporary credentials. */
  readonly roleArn?: string;
}

/**
 * Where the plugin reads instances from. `lookup` is synchronous and answers from what was
 * discovered before the translation (a snapshot): translation itself does no I/O.
 */
export interface InstanceSource {
  lookup(target: DiscoveryTarget): DiscoveryState;
  /**
   * Changes whenever `lookup` may answer differently. An incremental translator reuses the EC2
   * Backends of an earlier translation only while it stays the same; a source without one makes
   * every EC2 Backend translate afresh each time (see core's `VersionedSource`).
   */
  readonly cacheVersion?: string | number;
}

/** Injection token for the `InstanceSource`; register yours with `createTranslator({ provide })`. */
export const EC2_INSTANCE_SOURCE = Symbol.for('backendkit.aws-ec2.InstanceSource');

/**
 * The target for a region, credentials and (AssumeRole) a role. The id holds a hash of the
 * credentials, never the values, so equal Secrets share a call and the id is safe to log.
 */
export function discoveryTarget(region: string, credentials?: AwsCredentials, roleArn?: string): DiscoveryTarget {
  const hashOf = (parts: string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
  const secret = credentials ? [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken ?? ''] : [];
  if (roleArn) {
    // The source credentials are part of the id: the same role assumed by two callers is two calls.
    const id = `${region}/role-${hashOf([roleArn, credentials ? 'secret' : 'default-chain', ...secret])}`;
    return { id, region, roleArn, ...(credentials ? { credentials } : {}) };
  }
  if (!credentials) return { id: `${region}/default-chain`, region };
  return { id: `${region}/secret-${hashOf(secret)}`, region, credentials };
}

/** A fixed list of instances for every target (the offline file); region matching happens later. */
export function staticInstanceSource(instances: readonly Ec2Instance[]): InstanceSource {
  const state: DiscoveryState = { status: 'ok', instances };
  // Fixed instances (treat the array as immutable): the answers never change.
  return { lookup: () => state, cacheVersion: 'static' };
}

/** What translation uses when the host registered no source: nothing has been discovered. */
export const NO_INSTANCE_SOURCE: InstanceSource = {
  lookup: () => ({
    status: 'pending',
    message: 'no EC2 instance source is configured (CLI: --ec2-instances FILE or --discover-ec2)',
  }),
};
