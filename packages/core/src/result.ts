import type { Diagnostic, ResourceRef } from './diagnostics';
import type { EnvoyAssignment, EnvoyCluster } from './envoy';
import type { RouteResult } from './routing/types';
import type { KubeObject } from './resources';
import type { ResourceStatus } from './status';

/** One cluster the translation considered, valid or not. */
export interface TargetResult {
  resource: ResourceRef;
  clusterName: string;
  /** The type plugin's key for Backends. */
  typeKey?: string;
  appProtocol?: string;
  valid: boolean;
}

export interface TranslationResult {
  /**
   * Valid clusters, sorted by name, as canonical proto3 JSON that passed the strict check (what
   * `toJson` prints; docs/performance.md, "Clusters stay JSON"). `clusterMessage` (from
   * `@backendkit/core/envoy`) gives a protobuf-es message, `packedAny` the binary `Any`.
   */
  clusters: EnvoyCluster[];
  /** Load assignments of EDS clusters, sorted by cluster name, in the same form as `clusters`. */
  assignments: EnvoyAssignment[];
  /** One per Backend, sorted by namespace and name; then those of objects plugins own (`statuses`), by kind, namespace and name. */
  statuses: ResourceStatus[];
  /** Every problem found, errors and warnings. */
  diagnostics: Diagnostic[];
  /** Every cluster target, sorted by cluster name. */
  targets: TargetResult[];
  /** One per route (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute), by kind, namespace and name: backendRefs resolved to clusters (docs/routing.md). */
  routes: RouteResult[];
}

/**
 * What one step (a Backend, or an extra cluster) adds to the result, complete when a memo stores
 * it. Only the diagnostics' source lines are left out: lines can move while the content stays the
 * same, so the translator attaches them for the input at hand (`located`).
 */
export interface StepOutcome {
  cluster?: EnvoyCluster;
  assignment?: EnvoyAssignment;
  /** Each names its resource. */
  diagnostics: Diagnostic[];
  target: TargetResult;
}

/** A plugin's `statuses` hook: the statuses of the objects it owns, and their problems. */
export interface StatusesOutcome {
  statuses: ResourceStatus[];
  /** Each names its resource; `objects[i]` is the object `diagnostics[i]` is about (none for a hook that failed). */
  diagnostics: Diagnostic[];
  objects: Array<KubeObject | undefined>;
}

/** A Backend's step: its cluster, and the status it gets. */
export interface BackendOutcome extends StepOutcome {
  status: ResourceStatus;
}
