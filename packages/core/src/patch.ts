// Re-translation by patching the last result (docs/performance.md, "Re-translation driven by what
// changed"): only the Backends the memo names are visited; the sorted lists are patched in place.
import type { Diagnostic } from './diagnostics';
import { located } from './locate';
import type { MemoRun } from './memo';
import { backendClusterName } from './names';
import type { TranslateContext } from './plugin';
import { compareStrings, lowerBound, type KubeObject } from './resources';
import type { BackendOutcome, TranslationResult } from './result';
import type { ResourceStatus } from './status';

/** What a translation kept of its result so that the next one can patch it. */
export interface Assembly {
  result: TranslationResult;
  /** Each Backend's outcome, by key, and the object it was collected from. */
  backends: Map<string, { backend: KubeObject; outcome: BackendOutcome }>;
  /** The diagnostics of the Backends that have some, located in their object. */
  located: Map<string, Diagnostic[]>;
  /** How many of `result.statuses` are Backends' (the rest are those plugins own). */
  backendStatuses: number;
  /** The diagnostics of the Backend steps, in order, then those of extra clusters. */
  backendDiagnostics: Diagnostic[];
  restDiagnostics: Diagnostic[];
  /**
   * False when a patch could not give what a full pass gives: problems found when screening,
   * Backends defined twice, cluster names that collide or that two targets share.
   */
  patchable: boolean;
}

type BackendStep = (backend: KubeObject, clusterName: string, ctx: TranslateContext) => BackendOutcome;

/**
 * The result of a translation whose memo knows which Backends may have changed (`run.changed`):
 * last result's lists with those Backends' parts taken out and today's put in, at their sorted
 * places. The statuses of objects plugins own and routing are left to the caller (they are cheap
 * and reused by the memo). Undefined when a patch cannot be sure to give what a full pass would (a
 * cluster name another target has): the caller then makes a full pass, which reuses what this one
 * computed.
 */
export function patch(assembly: Assembly, run: MemoRun, step: BackendStep): TranslationResult | undefined {
  if (!assembly.patchable) return undefined;
  const last = assembly.result;
  const clusters = last.clusters.slice();
  const assignments = last.assignments.slice();
  const targets = last.targets.slice();
  const statuses = last.statuses.slice(0, assembly.backendStatuses);
  let diagnosticsMoved = false;
  for (const key of run.changed!) {
    const before = assembly.backends.get(key);
    const backend = run.resources.byKeyOf(key);
    let outcome: BackendOutcome | undefined;
    if (backend) {
      const { namespace, name } = backend.metadata;
      const clusterName = backendClusterName(namespace, name);
      outcome = run.backend(backend, (ctx) => step(backend, clusterName, ctx));
    }
    if (before && backend === before.backend && outcome === before.outcome) continue;
    if (before) {
      const old = before.outcome;
      if (!take(clusters, old.cluster, byName) || !take(assignments, old.assignment, byClusterName) || !take(targets, old.target, byClusterName))
        return undefined;
      if (!take(statuses, old.status, byStatus)) return undefined;
      if (assembly.located.delete(key)) diagnosticsMoved = true;
      assembly.backends.delete(key);
    }
    if (backend && outcome) {
      if (!put(clusters, outcome.cluster, byName) || !put(assignments, outcome.assignment, byClusterName) || !put(targets, outcome.target, byClusterName))
        return undefined;
      if (!put(statuses, outcome.status, byStatus)) return undefined;
      if (outcome.diagnostics.length > 0) {
        assembly.located.set(
          key,
          outcome.diagnostics.map((d) => located(backend, d)),
        );
        diagnosticsMoved = true;
      }
      assembly.backends.set(key, { backend, outcome });
    }
  }
  if (diagnosticsMoved) {
    const keys = [...assembly.located.keys()].sort((a, b) => byStatus(assembly.backends.get(a)!.outcome.status, assembly.backends.get(b)!.outcome.status));
    assembly.backendDiagnostics = keys.flatMap((key) => assembly.located.get(key)!);
  }
  assembly.backendStatuses = statuses.length;
  const result: TranslationResult = {
    clusters,
    assignments,
    statuses,
    diagnostics: [...assembly.backendDiagnostics, ...assembly.restDiagnostics],
    targets,
    routes: [],
  };
  assembly.result = result;
  return result;
}

/** Orders of the sorted lists: `compareStrings` on the names, then namespace and name for statuses. */
type Order<T> = (a: T, b: T) => number;
const byName: Order<{ name: string }> = (a, b) => compareStrings(a.name, b.name);
const byClusterName: Order<{ clusterName: string }> = (a, b) => compareStrings(a.clusterName, b.clusterName);
const byStatus: Order<ResourceStatus> = (a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name);

/** Takes `item` out of its sorted place; false when it is not there (the list is not what was kept). */
function take<T>(items: T[], item: T | undefined, order: Order<T>): boolean {
  if (item === undefined) return true;
  const at = lowerBound(items, item, order);
  if (items[at] !== item) return false;
  items.splice(at, 1);
  return true;
}

/** Puts `item` at its sorted place; false when an item there sorts the same (a name taken twice). */
function put<T>(items: T[], item: T | undefined, order: Order<T>): boolean {
  if (item === undefined) return true;
  const at = lowerBound(items, item, order);
  if (at < items.length && order(items[at]!, item) === 0) return false;
  items.splice(at, 0, item);
  return true;
}
