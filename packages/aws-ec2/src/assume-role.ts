import type { AwsCredentials } from '@backendkit/aws-common';
import { redact } from '@backendkit/core/helpers';
import type { DiscoveryFailure, DiscoveryTarget } from './source';

/** Renew temporary credentials this long before they expire (the AWS SDK's own margin). */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;
/** How the control plane's sessions appear in CloudTrail. */
export const DEFAULT_SESSION_NAME = 'backendkit-ec2-discovery';

export interface AssumeRoleOptions {
  /** STS endpoint override (a local stand-in); default the SDK's (also `AWS_ENDPOINT_URL_STS`). */
  stsEndpoint?: string;
  refreshMarginMs?: number;
  sessionName?: string;
  /** The clock expiry is judged by; default `Date.now`. */
  now?: () => number;
}

/** A failed AssumeRole, already classified: the pass reports it as is (docs/aws-ec2.md). */
export class AssumeRoleError extends Error {
  override name = 'AssumeRoleError';
  constructor(readonly failure: DiscoveryFailure) {
    super(failure.message);
  }
}

export function isAssumeRoleError(error: unknown): error is AssumeRoleError {
  return error instanceof AssumeRoleError;
}

// STS answers a caller that may not assume the role with AccessDenied; everything else that stops
// AssumeRole (bad or missing source keys, an expired token, an unreachable STS) leaves discovery
// without credentials.
const AUTHORIZATION = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/**
 * The temporary credentials of `auth.type: AssumeRole` targets, one set per target id, kept until
 * shortly before they expire, so a poller asks STS about once an hour, not once a pass.
 */
export class AssumedRoles {
  private readonly cache = new Map<string, { credentials: AwsCredentials; renewAt: number }>();
  private readonly margin: number;
  private readonly now: () => number;

  constructor(private readonly options: AssumeRoleOptions = {}) {
    this.margin = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.now = options.now ?? Date.now;
  }

  /** `target` as DescribeInstances is signed: for a role, with its temporary credentials. */
  async signingTarget(target: DiscoveryTarget, signal: AbortSignal): Promise<DiscoveryTarget> {
    if (!target.roleArn) return target;
    return { id: target.id, region: target.region, credentials: await this.credentials(target, signal) };
  }

  private async credentials(target: DiscoveryTarget, signal: AbortSignal): Promise<AwsCredentials> {
    const cached = this.cache.get(target.id);
    if (cached && this.now() < cached.renewAt) return cached.credentials;
    // Loaded on first use, like the EC2 SDK (live.ts): an optional peer dependency.
    const { AssumeRoleCommand, STSClient } = await import('@aws-sdk/client-sts');
    const client = new STSClient({
      region: target.region,
      ...(target.credentials ? { credentials: { ...target.credentials } } : {}),
      ...(this.options.stsEndpoint ? { endpoint: this.options.stsEndpoint } : {}),
    });
    try {
      const command = new AssumeRoleCommand({ RoleArn: target.roleArn, RoleSessionName: this.options.sessionName ?? DEFAULT_SESSION_NAME });
      const reply = await client.send(command, { abortSignal: signal });
      const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = reply.Credentials ?? {};
      if (!AccessKeyId || !SecretAccessKey || !SessionToken) {
        throw new AssumeRoleError({ reason: 'CredentialError', message: `AssumeRole ${target.roleArn}: STS answered without credentials` });
      }
      const credentials = { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken };
      // Without an expiry, they are used for this pass only.
      const renewAt = Expiration instanceof Date ? Expiration.getTime() - this.margin : 0;
      this.cache.set(target.id, { credentials, renewAt });
      return credentials;
    } catch (error) {
      // A deadline or a stop is the pass's business, not a credential problem.
      if (signal.aborted || error instanceof AssumeRoleError) throw error;
      this.cache.delete(target.id);
      throw new AssumeRoleError(assumeRoleFailure(error, target));
    } finally {
      client.destroy();
    }
  }
}

function assumeRoleFailure(error: unknown, target: DiscoveryTarget): DiscoveryFailure {
  const code = error instanceof Error && error.name !== 'Error' ? error.name : '';
  const raw = error instanceof Error ? error.message : String(error);
  const { accessKeyId, secretAccessKey, sessionToken } = target.credentials ?? {};
  const said = redact((raw.split('\n')[0] ?? raw).slice(0, 300), [accessKeyId, secretAccessKey, sessionToken], '***');
  const message = `AssumeRole ${target.roleArn}: ${code ? `${code}: ` : ''}${said}`;
  return { reason: AUTHORIZATION.has(code) ? 'AuthorizationError' : 'CredentialError', message, ...(code ? { code } : {}) };
}
