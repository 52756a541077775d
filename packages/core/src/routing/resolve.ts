import type { Diagnostic } from '../diagnostics';
import { sourceOf } from '../load';
import type { TranslateContext } from '../plugin';
import { keyOf, refOf, type KubeObject } from '../resources';
import { readGrants } from './grants';
import type { RegisteredRefKind } from './kinds';
import { duplicateRoute, resolveRoute } from './route';
import type { RouteResult } from './types';

export interface Routing {
  /** One per HTTPRoute, sorted by namespace and name. Empty when the input has no HTTPRoute. */
  routes: RouteResult[];
  /** Problems of routes and of the ReferenceGrants they depend on, with resource and source line. */
  diagnostics: Diagnostic[];
}

/**
 * SPEC §5 and §6: resolves the backendRefs of every HTTPRoute to cluster names. Never throws on input.
 * ReferenceGrants are only read (and checked) when there is a route to use them.
 */
export function resolveRoutes(refKinds: ReadonlyMap<string, RegisteredRefKind>, ctx: TranslateContext): Routing {
  const routing: Routing = { routes: [], diagnostics: [] };
  const routes = ctx.resources.list('HTTPRoute');
  if (routes.length === 0) return routing;

  const { grants, problems } = readGrants(ctx.resources);
  for (const { object, diagnostic } of problems) routing.diagnostics.push(located(object, diagnostic));

  for (const route of routes) {
    const { namespace, name } = route.metadata;
    // Which copy came first depends on input order, so neither is used: the output stays deterministic.
    const duplicate = ctx.resources.duplicates.has(keyOf('HTTPRoute', namespace, name));
    const { result, report } = duplicate ? duplicateRoute(route) : resolveRoute(route, { refKinds, grants, ctx, routeNamespace: namespace });
    routing.routes.push(result);
    for (const diagnostic of report.diagnostics) routing.diagnostics.push(located(route, diagnostic));
  }
  return routing;
}

/** Names the object and, for loaded input, the file and line the path points at. */
function located(object: KubeObject, diagnostic: Diagnostic): Diagnostic {
  const source = sourceOf(object, diagnostic.path);
  return { ...diagnostic, resource: refOf(object), ...(source ? { source } : {}) };
}
