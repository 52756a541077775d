import type { Condition, TranslateContext } from '../plugin';

/** Where every backendRef that cannot be resolved goes (SPEC §5). Envoy answers such traffic with an error. */
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

/** A backendRef with its defaults filled in, as a `RefKind` sees it. */
export interface BackendRefTarget {
  /** `''` for the core API group (Services). */
  group: string;
  kind: string;
  /** The ref's namespace, or the route's when the ref has none. */
  namespace: string;
  name: string;
  port?: number;
}

/** What a `RefKind` says about a target: its cluster, or why it is not there. */
export type RefTarget = { cluster: string } | { notFound: string };

/**
 * A kind that HTTPRoute backendRefs may point at. Core provides `Backend` (both API groups) and
 * `Service`; a plugin adds its own through `BackendPlugin.refKinds`.
 */
export interface RefKind {
  /** API group of the ref; `''` for the core group. */
  readonly group: string;
  readonly kind: string;
  /**
   * How the ref's `port` is treated: `required` (a ref without one is refused), `ignored` (a warning
   * when set), or `optional` (passed on to `resolve`). Default `optional`.
   */
  readonly port?: 'required' | 'ignored' | 'optional';
  /**
   * Finds the target among the translation's objects. Called only for refs that are well formed and
   * permitted (ReferenceGrants are checked by core). Pure: no I/O.
   */
  resolve(ref: BackendRefTarget, ctx: TranslateContext): RefTarget;
}
