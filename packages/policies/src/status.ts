import type { Condition, Diagnostic, KubeObject, OwnedStatus, TranslateContext } from '@backendkit/core';
import { describeError, redact } from '@backendkit/core/helpers';
import { readBcps } from './bcp';
import { btpsFor, readBtps, type ReadBtp } from './btp';
import { existingTargets } from './policies';
import { nsName } from './kinds';

/** A policy's status; its own problems ride along, once per policy (core locates them in its source). */
function status(policy: { object: KubeObject; errors: Diagnostic[]; sensitive: string[] }, conditions: Condition[]): OwnedStatus {
  const diagnostics = policy.errors.map((d) => ({ ...d, message: redact(d.message, policy.sensitive) }));
  return { resource: policy.object, conditions, ...(diagnostics.length > 0 ? { diagnostics } : {}) };
}

/** kgateway's BackendConfigPolicy status (docs/backend-config-policy.md, "Status"). */
export function bcpStatuses(ctx: TranslateContext): OwnedStatus[] {
  const btps = readBtps(ctx);
  return readBcps(ctx).map((policy) => {
    if (!policy.spec) {
      const message = redact(policy.errors.map(describeError).join('; '), policy.sensitive);
      return status(policy, [
        { type: 'Accepted', status: 'False', reason: 'Invalid', message },
        { type: 'Attached', status: 'False', reason: 'Pending', message: '' },
      ]);
    }
    const targets = existingTargets(policy.object, ctx);
    const conditions: Condition[] = [
      { type: 'Accepted', status: 'True', reason: 'Valid', message: 'Policy accepted' },
      targets.length > 0
        ? { type: 'Attached', status: 'True', reason: 'Attached', message: 'Attached to all targets' }
        : { type: 'Attached', status: 'False', reason: 'TargetNotFound', message: 'no target of this policy exists' },
    ];
    if (policy.spec.tls) {
      const winner = targets.map((t) => btpsFor(t, btps).winner).find((w): w is ReadBtp => w?.socket !== undefined);
      if (winner) {
        conditions.push({
          type: 'Overridden',
          status: 'True',
          reason: 'ConflictedWithBackendTLSPolicy',
          message: `spec.tls overridden by BackendTLSPolicy ${nsName(winner.object)}`,
        });
      }
    }
    return status(policy, conditions);
  });
}

/** The Gateway API BackendTLSPolicy status, as kgateway writes it (docs/backend-tls-policy.md, "Status"). */
export function btpStatuses(ctx: TranslateContext): OwnedStatus[] {
  const btps = readBtps(ctx);
  return btps.map((policy) => {
    if (!policy.spec || !policy.socket) {
      const message = policy.errors.map(describeError).join('; ');
      if (policy.refReason) {
        const cause = policy.errors.map((e) => e.message).join('; ');
        return status(policy, [
          { type: 'ResolvedRefs', status: 'False', reason: policy.refReason, message: cause },
          { type: 'Accepted', status: 'False', reason: 'NoValidCACertificate', message: cause },
        ]);
      }
      return status(policy, [{ type: 'Accepted', status: 'False', reason: 'Invalid', message }]);
    }
    const resolved: Condition = { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'Resolved all references' };
    const beaten = existingTargets(policy.object, ctx)
      .map((t) => btpsFor(t, btps))
      .find((r) => r.losers.some((l) => l.object === policy.object));
    if (beaten) {
      return status(policy, [resolved, { type: 'Accepted', status: 'False', reason: 'Conflicted', message: 'Policy conflicts with higher priority policy' }]);
    }
    return status(policy, [resolved, { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Policy accepted' }]);
  });
}
