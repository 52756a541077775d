import { DuplicatePluginError, InvalidPluginError } from '../errors';
import { isPlainObject } from '../load';
import { backendClusterName, CORE_PLUGIN } from '../names';
import type { BackendPlugin } from '../plugin';
import { BACKEND_GROUPS } from '../resources';
import type { RefKind, RefTarget } from './types';

/** A referenceable kind and the plugin that provides it. */
export interface RegisteredRefKind {
  readonly row: RefKind;
  readonly plugin: string;
}

/** The bare kind for the core group, `Backend.gateway.kgateway.dev` otherwise (kubectl's spelling). */
export function kindLabel(group: string, kind: string): string {
  return group === '' ? kind : `${kind}.${group}`;
}

function backendRow(group: string): RefKind {
  return {
    group,
    kind: 'Backend',
    // A Backend is one cluster; there is no port to choose.
    port: 'ignored',
    // Both groups name the same resource, whichever apiVersion it was written with.
    resolve: ({ namespace, name }, ctx): RefTarget =>
      ctx.resources.get('Backend', namespace, name) ? { cluster: backendClusterName(namespace, name) } : { notFound: `Backend ${namespace}/${name} not found` },
  };
}

/** Core's rows: `Backend` in both API groups. Other kinds come from plugins' `refKinds`. */
export const CORE_REF_KINDS: readonly RefKind[] = BACKEND_GROUPS.map(backendRow);

export function refKindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/**
 * Core's rows plus every plugin's `refKinds`, by `group/kind`. Two providers of one kind are a
 * mistake in the code that registers them, so this throws (like two owners of one spec key).
 */
export function refKindTable(plugins: readonly BackendPlugin[]): ReadonlyMap<string, RegisteredRefKind> {
  const table = new Map<string, RegisteredRefKind>();
  const add = (row: RefKind, plugin: string): void => {
    const key = refKindKey(row.group, row.kind);
    const taken = table.get(key);
    if (taken) throw new DuplicatePluginError('refKind', kindLabel(row.group, row.kind), [taken.plugin, plugin]);
    table.set(key, { row, plugin });
  };
  for (const row of CORE_REF_KINDS) add(row, CORE_PLUGIN);
  for (const plugin of plugins) {
    for (const row of plugin.refKinds ?? []) {
      checkRow(plugin.name, row);
      add(row, plugin.name);
    }
  }
  return table;
}

function checkRow(plugin: string, row: RefKind): void {
  const ok =
    isPlainObject(row) &&
    typeof row.group === 'string' &&
    typeof row.kind === 'string' &&
    row.kind !== '' &&
    typeof row.resolve === 'function' &&
    (row.port === undefined || ['required', 'ignored', 'optional'].includes(row.port));
  if (!ok)
    throw new InvalidPluginError(
      `plugin "${plugin}" has a malformed refKinds entry (it needs a string group, a non-empty kind and resolve; port is required, ignored or optional)`,
    );
}
