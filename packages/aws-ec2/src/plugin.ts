import { readCredentials, type AwsCredentials } from '@backendkit/aws-common';
import { definePlugin, type BackendContext, type BackendPlugin, type Diagnostic, type Fragment } from '@backendkit/core';
import { edsCluster, frozenJson } from '@backendkit/core/helpers';
import { sharedSelection, type Selection } from './assignment';
import { awsEc2Schema, type AwsEc2Spec } from './schema';
import { wellFormedEc2 } from './well-formed';
import type { Ec2Instance } from './instances';
import { EC2_INSTANCE_SOURCE, NO_INSTANCE_SOURCE, discoveryTarget, type DiscoveryState, type InstanceSource } from './source';
import { degradedCondition, discoveredCondition, failedCondition, pendingCondition } from './status';

export const PLUGIN_NAME = '@backendkit/aws-ec2';

/**
 * docs/aws-ec2.md: `spec.aws.ec2` Backends. Instances come from the `EC2_INSTANCE_SOURCE` registered
 * with the translator (a poller, a one-off discovery, or a file); this hook only reads its snapshot.
 */
export function awsEc2Plugin(): BackendPlugin<AwsEc2Spec> {
  return definePlugin<AwsEc2Spec>({
    name: PLUGIN_NAME,
    key: 'aws',
    variant: 'ec2',
    legacyType: 'AWS',
    schema: awsEc2Schema,
    wellFormed: wellFormedEc2,
    translate(spec, ctx) {
      let credentials: AwsCredentials | undefined;
      if (spec.auth?.secretRef) {
        const read = readCredentials(ctx, ctx.backend.metadata.namespace, spec.auth.secretRef.name, `${ctx.path}.auth.secretRef.name`);
        if (!read.ok) {
          const message = read.diagnostics.map((d) => d.message).join('; ');
          return { diagnostics: read.diagnostics, conditions: [failedCondition({ reason: 'CredentialError', message })] };
        }
        credentials = read.credentials;
      }
      const source = ctx.resolve<InstanceSource>(EC2_INSTANCE_SOURCE, () => NO_INSTANCE_SOURCE);
      const fragment = fragmentFor(spec, ctx, source.lookup(discoveryTarget(spec.region, credentials, spec.auth?.assumeRole?.roleArn)));
      // A host's own source may quote what AWS said; core cuts these values out of every message.
      if (credentials) fragment.sensitiveValues = Object.values(credentials).filter((v): v is string => typeof v === 'string');
      return fragment;
    },
  });
}

/** Every Backend's cluster part, frozen: the strict check walks it once and the result shares it (`frozenJson`). */
const EDS_CLUSTER = frozenJson(edsCluster());

function fragmentFor(spec: AwsEc2Spec, ctx: BackendContext, state: DiscoveryState): Fragment {
  const path = `${ctx.path}.ec2`;
  const warn = (code: string, message: string): Diagnostic => ({ severity: 'warning', code, message, path });
  // Core leaves out refused addresses after the plugins ran; the condition counts what stays.
  const select = (instances: readonly Ec2Instance[]) => sharedSelection(instances, spec.ec2, spec.region, !ctx.options.allowLocalAddresses);
  const fragment = (selection: Selection, condition: Fragment['conditions'], diagnostics: Diagnostic[] = []): Fragment => ({
    cluster: EDS_CLUSTER,
    assignment: selection.assignment,
    conditions: condition,
    diagnostics: [...diagnostics, ...sharedWarnings(selection, spec, warn)],
  });

  switch (state.status) {
    case 'ok': {
      const selection = select(state.instances);
      return fragment(selection, [discoveredCondition(selection, spec.region, spec.ec2.addressType, spec.ec2.filters)]);
    }
    case 'failed': {
      const failed = warn('discovery-failed', `EC2 discovery in ${spec.region} failed: ${state.failure.message}`);
      if (!state.lastGood) return fragment(select([]), [failedCondition(state.failure)], [failed]);
      const selection = select(state.lastGood);
      return fragment(selection, [degradedCondition(state.failure, selection)], [failed]);
    }
    case 'pending':
      return fragment(select([]), [pendingCondition(state.message)], [warn('endpoints-not-discovered', state.message)]);
  }
}

function sharedWarnings(selection: Selection, spec: AwsEc2Spec, warn: (code: string, message: string) => Diagnostic): Diagnostic[] {
  const kind = spec.ec2.addressType === 'PublicIP' ? 'public' : 'private';
  return selection.shared.map(({ address, kept, dropped }) =>
    warn('shared-address', `instances ${[kept, ...dropped].join(', ')} all have the ${kind} IP ${address}; only ${kept} is used`),
  );
}
