import type { ClusterTarget, KubeObject } from '@backendkit/core';
import type { TargetRef, TargetSelector } from './targets-schema';

/** What a cluster stands for, as policies address it: a Backend, or one port of a Service. */
export interface PolicyTarget {
  group: string;
  kind: 'Backend' | 'Service';
  object: KubeObject;
  /** For Service ports: the port's name (a BackendTLSPolicy's `sectionName`). */
  portName?: string;
}

/** The object a cluster target is for; undefined for clusters policies do not address. */
export function policyTarget(target: ClusterTarget): PolicyTarget | undefined {
  const { resource } = target;
  if (resource.kind === 'Backend' && target.typeKey !== undefined) return { group: 'gateway.kgateway.dev', kind: 'Backend', object: resource };
  if (resource.kind !== 'Service') return undefined;
  // The kubernetes plugin names the port a Service cluster stands for (ClusterTarget.sectionName).
  // No spread for the optional port: V8 copies `{ ...a, ...b }` after fields through a slow path (docs/performance.md).
  return target.sectionName ? { group: '', kind: 'Service', object: resource, portName: target.sectionName } : { group: '', kind: 'Service', object: resource };
}

/** Groups that name a kgateway Backend: kgateway's and the legacy Gloo one. */
const BACKEND_GROUPS = new Set(['gateway.kgateway.dev', 'gloo.solo.io']);

function sameKind(target: PolicyTarget, group: string, kind: string): boolean {
  if (kind !== target.kind) return false;
  return target.kind === 'Service' ? group === '' || group === 'core' : BACKEND_GROUPS.has(group);
}

/** The targetRef of a policy that names this target (with any sectionName), if one does. */
export function matchingRef(refs: readonly TargetRef[] | undefined, target: PolicyTarget, anyPort = false): TargetRef | undefined {
  return refs?.find(
    (r) =>
      sameKind(target, r.group, r.kind) &&
      r.name === target.object.metadata.name &&
      // `sectionName` is a Service port's name: it picks that port's cluster only.
      (r.sectionName === undefined || target.kind !== 'Service' || anyPort || r.sectionName === target.portName),
  );
}

/** Whether a selector of a policy picks this target by its labels. */
export function selectedBy(selectors: readonly TargetSelector[] | undefined, target: PolicyTarget): boolean {
  const labels = target.object.metadata.labels ?? {};
  return (selectors ?? []).some((s) => sameKind(target, s.group, s.kind) && Object.entries(s.matchLabels).every(([k, v]) => labels[k] === v));
}

/** Policies in order of precedence: older first (`creationTimestamp`), then by ref string (docs: "Order"). */
export function byAge<T extends { object: KubeObject; ref: string }>(a: T, b: T): number {
  const ta = created(a.object);
  const tb = created(b.object);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

/** Milliseconds since the epoch; a policy without a (valid) timestamp sorts as the newest. */
function created(object: KubeObject): number {
  const stamp = object.metadata.creationTimestamp;
  const ms = typeof stamp === 'string' ? Date.parse(stamp) : NaN;
  return Number.isNaN(ms) ? Number.MAX_SAFE_INTEGER : ms;
}
