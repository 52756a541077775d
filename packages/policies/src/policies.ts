import { SECRET_SOURCE, type Diagnostic, type KubeObject, type SecretSource, type TranslateContext } from '@backendkit/core';
import { issuesToDiagnostics, resourceSecretSource } from '@backendkit/core/helpers';
import type { z } from 'zod';
import { matchingRef, selectedBy, byAge, type PolicyTarget } from './attach';
import type { TargetRef, TargetSelector } from './targets-schema';

/** A policy object read and checked once per translation. */
export interface ReadPolicy<Spec> {
  object: KubeObject;
  /** `group/Kind/ns/name`, kgateway's prefix for its errors and the tie-breaker of the order. */
  ref: string;
  spec?: Spec;
  /** Problems with the policy itself (CRD rules, refs it cannot resolve); paths are into the policy. */
  errors: Diagnostic[];
  /** Values the policy carries that must never be printed (TLS keys). */
  sensitive: string[];
}

/**
 * Reads a policy: schema with CRD defaults, then `resolve` for what needs other objects. Callers
 * read each kind once per translation through `ctx.shared` (every cluster reads the policies of its
 * namespace), so what `resolve` looks up counts as read by each cluster that uses the policy.
 */
export function readPolicy<Spec>(
  object: KubeObject,
  ref: string,
  schema: z.ZodType<Spec>,
  plugin: string,
  resolve: (spec: Spec, report: (message: string, path?: string) => void, sensitive: string[]) => void,
): ReadPolicy<Spec> {
  const policy: ReadPolicy<Spec> = { object, ref, errors: [], sensitive: [] };
  if (object.spec === undefined) {
    policy.errors.push({ severity: 'error', code: 'invalid-field', message: 'required', path: 'spec', plugin });
    return policy;
  }
  const parsed = schema.safeParse(object.spec);
  if (!parsed.success) {
    policy.errors.push(...issuesToDiagnostics(parsed.error, 'spec', plugin, object.spec));
    return policy;
  }
  resolve(
    parsed.data,
    (message, path) => policy.errors.push({ severity: 'error', code: 'invalid-policy', message, plugin, ...(path ? { path } : {}) }),
    policy.sensitive,
  );
  if (policy.errors.length === 0) policy.spec = parsed.data;
  return policy;
}

/** The spec's targets as the schema reads them, also for a policy that failed validation (best effort). */
export function declaredTargets(object: KubeObject): { refs: TargetRef[]; selectors: TargetSelector[] } {
  const spec = (object.spec ?? {}) as { targetRefs?: unknown; targetSelectors?: unknown };
  const isRef = (r: unknown): r is TargetRef =>
    typeof r === 'object' && r !== null && typeof (r as TargetRef).kind === 'string' && typeof (r as TargetRef).name === 'string';
  const isSelector = (s: unknown): s is TargetSelector =>
    typeof s === 'object' &&
    s !== null &&
    typeof (s as TargetSelector).kind === 'string' &&
    typeof (s as TargetSelector).matchLabels === 'object' &&
    (s as TargetSelector).matchLabels !== null;
  const refs = Array.isArray(spec.targetRefs) ? spec.targetRefs.filter(isRef).map((r) => ({ ...r, group: typeof r.group === 'string' ? r.group : '' })) : [];
  const selectors = Array.isArray(spec.targetSelectors)
    ? spec.targetSelectors.filter(isSelector).map((s) => ({ ...s, group: typeof s.group === 'string' ? s.group : '' }))
    : [];
  return { refs, selectors };
}

/** Whether a policy attaches to a target (by ref or selector); with the ref that named it. */
export function attachment(object: KubeObject, target: PolicyTarget, anyPort = false): { ref?: TargetRef } | undefined {
  if (object.metadata.namespace !== target.object.metadata.namespace) return undefined;
  const { refs, selectors } = declaredTargets(object);
  const ref = matchingRef(refs, target, anyPort);
  if (ref) return { ref };
  return selectedBy(selectors, target) ? {} : undefined;
}

/** The policies of a kind attached to a target, oldest first. */
export function attached<P extends { object: KubeObject; ref: string }>(policies: readonly P[], target: PolicyTarget): Array<P & { via: { ref?: TargetRef } }> {
  return policies
    .flatMap((p) => {
      const via = attachment(p.object, target);
      return via ? [{ ...p, via }] : [];
    })
    .sort(byAge);
}

/**
 * The `ctx.shared` key of a plugin's policies of one namespace (or all), one string each, made once:
 * every cluster asks for it, and a key joined anew is hashed anew (docs/performance.md, "The
 * translation's own work"). Emptied when it holds `MAX_KEYS`.
 */
export function readKey(plugin: string, namespace: string | undefined): string {
  let keys = readKeys.get(plugin);
  if (!keys) readKeys.set(plugin, (keys = new Map()));
  let key = keys.get(namespace);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = `${plugin}/read/${namespace ?? '*'}`;
    keys.set(namespace, key);
  }
  return key;
}
const readKeys = new Map<string, Map<string | undefined, string>>();
const MAX_KEYS = 10_000;

export function secrets(ctx: TranslateContext): SecretSource {
  return ctx.resolve<SecretSource>(SECRET_SOURCE, () => resourceSecretSource(ctx.resources));
}

/** The targets in the translation a policy attaches to: Backends, and each Service port (for statuses). */
export function existingTargets(object: KubeObject, ctx: TranslateContext): PolicyTarget[] {
  const ns = object.metadata.namespace;
  const candidates: PolicyTarget[] = ctx.resources.list('Backend', ns).map((backend) => ({ group: 'gateway.kgateway.dev', kind: 'Backend', object: backend }));
  for (const service of ctx.resources.list('Service', ns)) {
    const ports = (service.spec as { ports?: unknown } | undefined)?.ports;
    const names = Array.isArray(ports) ? ports.map((p: { name?: unknown } | null) => (typeof p?.name === 'string' && p.name !== '' ? p.name : undefined)) : [];
    for (const portName of names.length > 0 ? names : [undefined]) {
      candidates.push({ group: '', kind: 'Service', object: service, ...(portName ? { portName } : {}) });
    }
  }
  return candidates.filter((t) => attachment(object, t) !== undefined);
}
