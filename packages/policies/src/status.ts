import type { AncestorRef, AncestorStatus, Condition, Diagnostic, KubeObject, OwnedStatus, TranslateContext } from '@backendkit/core';
import { describeError, redact } from '@backendkit/core/helpers';
import type { PolicyTarget } from './attach';
import { readBcps } from './bcp';
import { btpsFor, readBtps, type ReadBtp } from './btp';
import { attachment, existingTargets } from './policies';
import { nsName } from './kinds';

/** kgateway's controller name, which it writes into each `status.ancestors[]` entry (docs/backend-config-policy.md, "Status"). */
export const DEFAULT_CONTROLLER_NAME = 'kgateway.dev/kgateway';

/** A policy's status; its own problems ride along, once per policy (core locates them in its source). */
function status(policy: { object: KubeObject; errors: Diagnostic[]; sensitive: string[] }, conditions: Condition[], ancestors: AncestorStatus[]): OwnedStatus {
  const diagnostics = policy.errors.map((d) => ({ ...d, message: redact(d.message, policy.sensitive) }));
  return { resource: policy.object, conditions, ancestors, ...(diagnostics.length > 0 ? { diagnostics } : {}) };
}

/** One ancestor of a policy: the target object (with the targetRef's `sectionName`, when it named a port), and the targets it stands for. */
interface Ancestor {
  ref: AncestorRef;
  targets: PolicyTarget[];
}

/**
 * The ancestors of a policy, as kgateway reports policies on backends: the existing objects it targets,
 * in the order found (Backends, then Services, each by name). A Service port named by `sectionName`
 * is an ancestor of its own; a ref without one (or a selector) makes the whole Service one ancestor.
 */
function ancestorsOf(object: KubeObject, ctx: TranslateContext): Ancestor[] {
  const byKey = new Map<string, Ancestor>();
  for (const target of existingTargets(object, ctx)) {
    const section = attachment(object, target)?.ref?.sectionName;
    const { namespace, name } = target.object.metadata;
    const ref: AncestorRef = { group: target.group, kind: target.kind, namespace, name, ...(section !== undefined ? { sectionName: section } : {}) };
    const key = `${ref.group}/${ref.kind}/${name}/${section ?? ''}`;
    const found = byKey.get(key);
    if (found) found.targets.push(target);
    else byKey.set(key, { ref, targets: [target] });
  }
  return [...byKey.values()];
}

function entry(ref: AncestorRef, controllerName: string, conditions: Condition[]): AncestorStatus {
  return { ancestorRef: ref, controllerName, conditions };
}

/** kgateway's BackendConfigPolicy status (docs/backend-config-policy.md, "Status"). */
export function bcpStatuses(ctx: TranslateContext, controllerName: string): OwnedStatus[] {
  const btps = readBtps(ctx);
  return readBcps(ctx).map((policy) => {
    const ancestors = ancestorsOf(policy.object, ctx);
    if (!policy.spec) {
      const message = redact(policy.errors.map(describeError).join('; '), policy.sensitive);
      const conditions: Condition[] = [
        { type: 'Accepted', status: 'False', reason: 'Invalid', message },
        { type: 'Attached', status: 'False', reason: 'Pending', message: '' },
      ];
      return status(
        policy,
        conditions,
        ancestors.map((a) => entry(a.ref, controllerName, conditions)),
      );
    }
    const accepted: Condition = { type: 'Accepted', status: 'True', reason: 'Valid', message: 'Policy accepted' };
    const attached: Condition = { type: 'Attached', status: 'True', reason: 'Attached', message: 'Attached to all targets' };
    // A valid BackendTLSPolicy that wins a target replaces this policy's tls there.
    const overriddenBy = (targets: readonly PolicyTarget[]): Condition | undefined => {
      if (!policy.spec?.tls) return undefined;
      const winner = targets.map((t) => btpsFor(t, btps).winner).find((w): w is ReadBtp => w?.socket !== undefined);
      return winner
        ? {
            type: 'Overridden',
            status: 'True',
            reason: 'ConflictedWithBackendTLSPolicy',
            message: `spec.tls overridden by BackendTLSPolicy ${nsName(winner.object)}`,
          }
        : undefined;
    };
    const overridden = overriddenBy(ancestors.flatMap((a) => a.targets));
    const conditions: Condition[] = [
      accepted,
      ancestors.length > 0 ? attached : { type: 'Attached', status: 'False', reason: 'TargetNotFound', message: 'no target of this policy exists' },
      ...(overridden ? [overridden] : []),
    ];
    return status(
      policy,
      conditions,
      ancestors.map((a) => {
        const here = overriddenBy(a.targets);
        return entry(a.ref, controllerName, [accepted, attached, ...(here ? [here] : [])]);
      }),
    );
  });
}

/** The Gateway API BackendTLSPolicy status, as kgateway writes it (docs/backend-tls-policy.md, "Status"). */
export function btpStatuses(ctx: TranslateContext, controllerName: string): OwnedStatus[] {
  const btps = readBtps(ctx);
  return btps.map((policy) => {
    const ancestors = ancestorsOf(policy.object, ctx);
    const same = (conditions: Condition[]) =>
      status(
        policy,
        conditions,
        ancestors.map((a) => entry(a.ref, controllerName, conditions)),
      );
    if (!policy.spec || !policy.socket) {
      const message = policy.errors.map(describeError).join('; ');
      if (policy.refReason) {
        const cause = policy.errors.map((e) => e.message).join('; ');
        return same([
          { type: 'ResolvedRefs', status: 'False', reason: policy.refReason, message: cause },
          { type: 'Accepted', status: 'False', reason: 'NoValidCACertificate', message: cause },
        ]);
      }
      return same([{ type: 'Accepted', status: 'False', reason: 'Invalid', message }]);
    }
    const resolved: Condition = { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'Resolved all references' };
    const conflicted: Condition = { type: 'Accepted', status: 'False', reason: 'Conflicted', message: 'Policy conflicts with higher priority policy' };
    const accepted: Condition = { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Policy accepted' };
    // Beaten by an older policy on a target: Conflicted there (and, at the top, anywhere).
    const beaten = (targets: readonly PolicyTarget[]) => targets.some((t) => btpsFor(t, btps).losers.some((l) => l.object === policy.object));
    return status(
      policy,
      [resolved, beaten(ancestors.flatMap((a) => a.targets)) ? conflicted : accepted],
      ancestors.map((a) => entry(a.ref, controllerName, [resolved, beaten(a.targets) ? conflicted : accepted])),
    );
  });
}
