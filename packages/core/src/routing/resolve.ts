import type { Diagnostic } from '../diagnostics';
import { located } from '../locate';
import type { TranslateContext } from '../plugin';
import { keyOf } from '../resources';
import { readGrants } from './grants';
import type { RegisteredRefKind } from './kinds';
import { duplicateRoute, resolveRoute } from './route';
import { ROUTE_KINDS, type RouteResult } from './types';

export interface Routing {
  /** One per route, by kind (`ROUTE_KINDS` order), then namespace and name. Empty when the input has no route. */
  routes: RouteResult[];
  /** Problems of routes and of the ReferenceGrants they depend on, with resource and source line. */
  diagnostics: Diagnostic[];
}

/**
 * docs/routing.md: resolves the backendRefs of every HTTPRoute, GRPCRoute, TCPRoute and TLSRoute to
 * cluster names, all by the same rules. Never throws on input. ReferenceGrants are only read (and
 * checked) when there is a route to use them.
 */
export function resolveRoutes(refKinds: ReadonlyMap<string, RegisteredRefKind>, ctx: TranslateContext): Routing {
  const routing: Routing = { routes: [], diagnostics: [] };
  const routes = ROUTE_KINDS.flatMap((kind) => ctx.resources.list(kind).map((route) => ({ kind, route })));
  if (routes.length === 0) return routing;

  const { grants, problems } = readGrants(ctx.resources);
  for (const { object, diagnostic } of problems) routing.diagnostics.push(located(object, diagnostic));

  for (const { kind, route } of routes) {
    const { namespace, name } = route.metadata;
    // Which copy came first depends on input order, so neither is used: the output stays deterministic.
    const duplicate = ctx.resources.duplicates.has(keyOf(kind, namespace, name));
    const scope = { refKinds, grants, ctx, routeNamespace: namespace, routeKind: kind };
    const { result, report } = duplicate ? duplicateRoute(route, kind) : resolveRoute(route, scope);
    routing.routes.push(result);
    for (const diagnostic of report.diagnostics) routing.diagnostics.push(located(route, diagnostic));
  }
  return routing;
}
