export { resolveRoutes } from './resolve';
export type { Routing } from './resolve';
export { CORE_REF_KINDS, kindLabel, refKindTable } from './kinds';
export type { RegisteredRefKind } from './kinds';
export { permits, readGrants } from './grants';
export type { Grant } from './grants';
export { BLACKHOLE_CLUSTER, ROUTE_KINDS } from './types';
export type { BackendRefTarget, RefKind, RefTarget, ResolvedBackendRef, ResolvedRefsReason, RouteKind, RouteResult, RuleResult } from './types';
