import { z } from 'zod';
import type { Diagnostic } from '../diagnostics';
import { isPlainObject } from '../load';
import type { KubeObject, ResourceReader } from '../resources';
import { issuesToDiagnostics } from '../validate';
import type { BackendRefTarget } from './types';
import { CORE_PLUGIN } from '../names';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

// Gateway API requires `group` (may be "") and `kind` on both sides; `to.name` narrows to one object.
const fromSchema = z.looseObject({
  group: z.string({ error: 'must be a string ("" for the core group)' }),
  kind: z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' }),
  namespace: z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' }),
});
const toSchema = z.looseObject({
  group: z.string({ error: 'must be a string ("" for the core group)' }),
  kind: z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' }),
  name: z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' }).optional(),
});
const grantSpecSchema = z.looseObject({
  from: z.array(fromSchema, { error: 'must be a list' }).min(1, { error: 'must list at least one entry' }),
  to: z.array(toSchema, { error: 'must be a list' }).min(1, { error: 'must list at least one entry' }),
});
type GrantSpec = z.infer<typeof grantSpecSchema>;

export interface Grant {
  /** The namespace the grant lives in: the only namespace whose objects it opens up. */
  namespace: string;
  spec: GrantSpec;
}

export interface ReadGrants {
  grants: Grant[];
  /** Problems of malformed grants, each with the grant as its resource object. */
  problems: Array<{ object: KubeObject; diagnostic: Diagnostic }>;
}

/** Every well-formed ReferenceGrant. A malformed one grants nothing and is reported. */
export function readGrants(resources: ResourceReader): ReadGrants {
  const read: ReadGrants = { grants: [], problems: [] };
  for (const object of resources.list('ReferenceGrant')) {
    const spec = object.spec;
    if (!isPlainObject(spec)) {
      const message = spec === undefined ? 'required' : 'must be an object';
      read.problems.push({ object, diagnostic: { severity: 'error', code: 'invalid-field', message, path: 'spec', plugin: CORE_PLUGIN } });
      continue;
    }
    const parsed = grantSpecSchema.safeParse(spec);
    if (parsed.success) read.grants.push({ namespace: object.metadata.namespace, spec: parsed.data });
    else for (const diagnostic of issuesToDiagnostics(parsed.error, 'spec', CORE_PLUGIN, spec)) read.problems.push({ object, diagnostic });
  }
  return read;
}

/** `core` names the core API group, like `""` (kgateway reads it so in grants and refs; docs/routing.md). */
export function coreGroup(group: string): string {
  return group === 'core' ? '' : group;
}

/**
 * docs/routing.md: may a route of kind `routeKind` (default HTTPRoute) in `routeNamespace` point at `target`?
 * Same namespace always; otherwise a grant in the target's namespace must list the route's kind and
 * namespace (`from`) and the target (`to`).
 */
export function permits(grants: readonly Grant[], routeNamespace: string, target: BackendRefTarget, routeKind = 'HTTPRoute'): boolean {
  if (target.namespace === routeNamespace) return true;
  return grants.some(
    (grant) =>
      grant.namespace === target.namespace &&
      grant.spec.from.some((f) => coreGroup(f.group) === GATEWAY_GROUP && f.kind === routeKind && f.namespace === routeNamespace) &&
      grant.spec.to.some((t) => coreGroup(t.group) === target.group && t.kind === target.kind && (t.name === undefined || t.name === target.name)),
  );
}
