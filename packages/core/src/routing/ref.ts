import { z } from 'zod';
import type { Diagnostic } from '../diagnostics';
import { isPlainObject } from '../load';
import type { TranslateContext } from '../plugin';
import { issuesToDiagnostics } from '../validate';
import { coreGroup, permits, type Grant } from './grants';
import { kindLabel, refKindKey, type RegisteredRefKind } from './kinds';
import type { RouteReport } from './report';
import { BLACKHOLE_CLUSTER, type BackendRefTarget, type RefTarget, type ResolvedBackendRef, type RouteKind } from './types';
import { CORE_PLUGIN } from '../names';

/**
 * Gateway API's kind for a backendRef that names none. Core only fills it in: resolving it is up to
 * the plugin that registers the kind (docs/routing.md); without one the ref is `InvalidKind`.
 */
const DEFAULT_REF_KIND = 'Service';
const MAX_WEIGHT = 1_000_000;

const nonEmpty = z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });

function intBetween(min: number, max: number) {
  const error = `must be an integer between ${min} and ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

// Gateway API's BackendRef: fields this resolver does not read (filters, ...) are left alone.
const refSchema = z.looseObject({
  group: z.string({ error: 'must be a string ("" for the core group)' }).optional(),
  kind: nonEmpty.optional(),
  name: nonEmpty,
  namespace: nonEmpty.optional(),
  port: intBetween(1, 65535).optional(),
  weight: intBetween(0, MAX_WEIGHT).optional(),
});

export interface RefScope {
  readonly refKinds: ReadonlyMap<string, RegisteredRefKind>;
  readonly grants: readonly Grant[];
  readonly ctx: TranslateContext;
  readonly routeNamespace: string;
  /** `HTTPRoute`, `GRPCRoute`, ...: grants name it in `from`. */
  readonly routeKind: RouteKind;
}

/** docs/routing.md, one backendRef: its cluster and weight. Every failure is reported and goes to the blackhole. */
export function resolveRef(value: unknown, path: string, scope: RefScope, report: RouteReport): ResolvedBackendRef {
  const parsed = isPlainObject(value) ? refSchema.safeParse(value) : undefined;
  if (!parsed?.success) {
    const problems: Diagnostic[] = parsed
      ? issuesToDiagnostics(parsed.error, path, CORE_PLUGIN, value)
      : [{ severity: 'error', code: 'invalid-field', message: 'must be an object', path }];
    for (const d of problems) report.malformed(d.path!, d.message, d.code);
    return { cluster: BLACKHOLE_CLUSTER, weight: weightOf(value) };
  }
  const ref = parsed.data;
  const weight = ref.weight ?? 1;
  const blackhole = { cluster: BLACKHOLE_CLUSTER, weight };
  // Gateway API defaults: the core group, its default kind, the route's namespace.
  const target: BackendRefTarget = {
    group: coreGroup(ref.group ?? ''),
    kind: ref.kind ?? DEFAULT_REF_KIND,
    namespace: ref.namespace ?? scope.routeNamespace,
    name: ref.name,
    ...(ref.port !== undefined ? { port: ref.port } : {}),
  };
  const label = `${kindLabel(target.group, target.kind)} ${target.namespace}/${target.name}`;

  const registered = scope.refKinds.get(refKindKey(target.group, target.kind));
  if (!registered) {
    const supported = [...scope.refKinds.values()].map((r) => kindLabel(r.row.group, r.row.kind)).sort();
    const defaulted = ref.kind === undefined ? ', the default when no kind is given,' : '';
    // kgateway's words first (docs/routing.md), then which kinds would do.
    const message = `unknown backend kind: backendRef ${target.namespace}/${target.name} has unsupported kind ${target.kind}${defaulted} in group "${target.group}" (supported: ${supported.join(', ')})`;
    report.fail('InvalidKind', message, 'invalid-kind', path);
    return blackhole;
  }
  const { row, plugin } = registered;
  if (row.port === 'required' && target.port === undefined) {
    report.malformed(`${path}.port`, `required for a ${kindLabel(target.group, target.kind)} backendRef`);
    return blackhole;
  }
  const refusePort = row.port === 'ignored' && target.port !== undefined && scope.ctx.options.backendRefPort === 'refuse';
  if (row.port === 'ignored' && target.port !== undefined && !refusePort) {
    report.warn('port-ignored', `${path}.port`, `ignored: a ${target.kind} is one cluster, whatever the port`);
    delete target.port;
  }
  if (!permits(scope.grants, scope.routeNamespace, target, scope.routeKind)) {
    const message = `missing reference grant: backendRef to ${label} is not permitted: no ReferenceGrant in namespace ${target.namespace} lets ${scope.routeKind}s in namespace ${scope.routeNamespace} reference it`;
    report.fail('RefNotPermitted', message, 'ref-not-permitted', path);
    return blackhole;
  }
  if (refusePort) {
    // As in kgateway, which looks the target up by name and port and finds nothing: its words, so
    // users searching for them find this (docs/routing.md).
    const message = `${target.kind} "${target.name}" not found`;
    report.fail(
      'BackendNotFound',
      message,
      'port-refused',
      `${path}.port`,
      `a port on a ${target.kind} ref is refused (translator option backendRefPort: refuse): ${message}`,
    );
    return blackhole;
  }
  let found: RefTarget;
  try {
    found = row.resolve(target, scope.ctx);
  } catch (error) {
    // A plugin that throws has a bug; the route still gets a status.
    const reason = error instanceof Error ? error.message : String(error);
    report.fail('BackendNotFound', `cannot resolve ${label}: plugin "${plugin}" failed: ${reason}`, 'plugin-failed', path);
    return blackhole;
  }
  if ('cluster' in found && typeof found.cluster === 'string' && found.cluster !== '') return { cluster: found.cluster, weight };
  const message = 'notFound' in found && typeof found.notFound === 'string' ? found.notFound : `${label} not found`;
  report.fail('BackendNotFound', message, 'backend-not-found', path);
  return blackhole;
}

/** The weight of a malformed ref when its own weight is fine: a broken ref keeps its share of traffic. */
function weightOf(value: unknown): number {
  const weight = isPlainObject(value) ? value.weight : undefined;
  return typeof weight === 'number' && Number.isInteger(weight) && weight >= 0 && weight <= MAX_WEIGHT ? weight : 1;
}
