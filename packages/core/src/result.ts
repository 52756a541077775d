import type { Diagnostic, ResourceRef } from './diagnostics';
import type { Cluster, ClusterLoadAssignment } from './envoy';
import type { RouteResult } from './routing/types';
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
  /** Valid clusters, sorted by name. */
  clusters: Cluster[];
  /** Load assignments of EDS clusters, sorted by cluster name. */
  assignments: ClusterLoadAssignment[];
  /** One per Backend, sorted by namespace and name. */
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
  cluster?: Cluster;
  assignment?: ClusterLoadAssignment;
  /** Each names its resource. */
  diagnostics: Diagnostic[];
  target: TargetResult;
}

/** A Backend's step: its cluster, and the status it gets. */
export interface BackendOutcome extends StepOutcome {
  status: ResourceStatus;
}
