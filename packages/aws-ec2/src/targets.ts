import { readCredentials, type AwsCredentials } from '@backendkit/aws-common';
import { SECRET_SOURCE, type KubeObject, type SecretSource, type TranslateContext } from '@backendkit/core';
import { ResourceIndex } from '@backendkit/core/helpers';
import { awsEc2Schema } from './schema';
import { discoveryTarget, type DiscoveryTarget } from './source';

export interface TargetOptions {
  /** Where Secrets come from; default the Secrets among `objects` (as in translation). */
  secretSource?: SecretSource;
}

/**
 * The distinct `DescribeInstances` calls the EC2 Backends among `objects` need: one per region and
 * set of credentials, sorted by id. Backends that are invalid, or whose Secret cannot be read, are
 * left out (translation reports them).
 */
export function ec2Targets(objects: Iterable<KubeObject>, options: TargetOptions = {}): DiscoveryTarget[] {
  const resources = new ResourceIndex(objects);
  const ctx: TranslateContext = {
    resources,
    options: {},
    resolve: <T>(token: unknown, fallback: () => T): T => (token === SECRET_SOURCE && options.secretSource ? (options.secretSource as T) : fallback()),
    // One pass over the objects: nothing is asked for twice.
    shared: (_key, compute) => compute(ctx),
  };
  const byId = new Map<string, DiscoveryTarget>();
  for (const backend of resources.list('Backend')) {
    const aws = (backend.spec as { aws?: { ec2?: unknown } } | undefined)?.aws;
    if (aws?.ec2 === undefined || aws.ec2 === null) continue;
    const parsed = awsEc2Schema.safeParse(aws);
    if (!parsed.success) continue;
    let credentials: AwsCredentials | undefined;
    const auth = parsed.data.auth;
    if (auth?.secretRef) {
      const read = readCredentials(ctx, backend.metadata.namespace, auth.secretRef.name, 'spec.aws.auth');
      if (!read.ok) continue;
      credentials = read.credentials;
    }
    const target = discoveryTarget(parsed.data.region, credentials, auth?.assumeRole?.roleArn);
    byId.set(target.id, target);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
