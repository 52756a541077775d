import type { Condition } from '../plugin';

export type { BackendRefTarget, RefKind, RefTarget } from '../plugin';

/** Where every backendRef that cannot be resolved goes (docs/routing.md). Envoy answers such traffic with an error. */
export const BLACKHOLE_CLUSTER = 'blackhole-cluster';

/** The `ResolvedRefs` reasons a route can carry (Gateway API names). */
export type ResolvedRefsReason = 'ResolvedRefs' | 'RefNotPermitted' | 'BackendNotFound' | 'InvalidKind' | 'UnsupportedValue';

/** One backendRef after resolution: the cluster its share of traffic goes to. */
export interface ResolvedBackendRef {
  cluster: string;
  weight: number;
}

export interface RuleResult {
  /** One entry per backendRef of the rule, in input order. */
  backendRefs: ResolvedBackendRef[];
}

/**
 * The Gateway API route kinds whose backendRefs are resolved, all by the same rules (docs/routing.md),
 * in the order their results are listed.
 */
export const ROUTE_KINDS = ['GRPCRoute', 'HTTPRoute', 'TCPRoute', 'TLSRoute'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

/** One route as `backendkit translate` prints it under `routes`. */
export interface RouteResult {
  kind: RouteKind;
  namespace: string;
  name: string;
  /** One entry per rule, in input order (a rule that cannot be read keeps its place, with no refs). */
  rules: RuleResult[];
  /** Exactly one: `ResolvedRefs`. */
  conditions: Condition[];
  /** `path: message` of every warning about the route (a `port` ignored on a Backend ref). */
  warnings: string[];
}
