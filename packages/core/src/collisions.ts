import type { Diagnostic, ResourceRef } from './diagnostics';
import { keyOf } from './resources';
import { acceptedCondition } from './status';
import type { TranslationResult } from './result';

/**
 * Envoy refuses a CDS update that holds one cluster name twice, which blocks every cluster in it.
 * Names of Backends cannot collide once their namespaces and names are valid (`nameProblem`), but
 * a plugin's extra cluster may take any name: every cluster whose name another
 * target also has is dropped, with an error on each object involved (docs/security.md).
 */
export function refuseCollisions(result: TranslationResult): void {
  // Nearly every translation has no collision: one set of names says so, without a list of owners
  // per name (docs/performance.md, "The translation's own work").
  const names = new Set<string>();
  let repeated = false;
  for (const target of result.targets) {
    if (!target.valid) continue;
    const size = names.size;
    names.add(target.clusterName);
    if (names.size === size) {
      repeated = true;
      break;
    }
  }
  if (!repeated) return;
  const byName = new Map<string, ResourceRef[]>();
  for (const target of result.targets) {
    if (!target.valid) continue; // no cluster, nothing sent twice
    const owners = byName.get(target.clusterName);
    if (owners) owners.push(target.resource);
    else byName.set(target.clusterName, [target.resource]);
  }
  const colliding = new Map<string, ResourceRef[]>();
  for (const [name, owners] of byName) if (owners.length > 1) colliding.set(name, owners);
  if (colliding.size === 0) return;

  const errors = new Map<string, Diagnostic>();
  for (const [name, owners] of colliding) {
    const names = owners.map((o) => `${o.kind} ${o.namespace}/${o.name}`);
    for (const owner of owners) {
      const others = names.filter((n) => n !== `${owner.kind} ${owner.namespace}/${owner.name}`);
      const diagnostic: Diagnostic = {
        severity: 'error',
        code: 'cluster-name-collision',
        message: `cluster name ${name} is also the cluster of ${others.length > 0 ? others.join(', ') : 'another target of this object'}: neither is served`,
        resource: owner,
      };
      result.diagnostics.push(diagnostic);
      errors.set(keyOf(owner.kind, owner.namespace, owner.name), diagnostic);
    }
  }
  result.clusters = result.clusters.filter((c) => !colliding.has(c.name));
  result.assignments = result.assignments.filter((a) => !colliding.has(a.clusterName));
  result.targets = result.targets.map((t) => (colliding.has(t.clusterName) && t.valid ? { ...t, valid: false } : t));
  // Statuses may be shared with earlier results (incremental translation): replaced, not changed.
  result.statuses = result.statuses.map((status) => {
    const error = errors.get(keyOf(status.kind, status.namespace, status.name));
    if (!error) return status;
    const [, ...rest] = status.conditions;
    return { ...status, conditions: [acceptedCondition([error]), ...rest] };
  });
}
