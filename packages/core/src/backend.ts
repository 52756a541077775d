import type { Diagnostic } from './diagnostics';
import { isPlainObject } from './load';
import type { BackendContext, BackendPlugin, Fragment } from './plugin';
import type { PluginRegistry } from './registry';
import { issuesToDiagnostics } from './validate';

const CORE = '@backendkit/core';

export interface TypedFragment {
  plugin?: BackendPlugin;
  fragment: Fragment;
}

/**
 * SPEC §2: picks the one type plugin for a Backend, validates its part of the spec and runs
 * `translate`. Problems come back as diagnostics on the fragment.
 */
export function translateBackend(registry: PluginRegistry, ctx: Omit<BackendContext, 'path'>): TypedFragment {
  const spec = ctx.backend.spec;
  if (!isPlainObject(spec)) {
    return { fragment: { diagnostics: [{ severity: 'error', code: 'invalid-field', message: 'must be an object', path: 'spec', plugin: CORE }] } };
  }

  const keys = registry.keys;
  const diagnostics: Diagnostic[] = [];
  for (const field of Object.keys(spec)) {
    if (field !== 'type' && !registry.byKey.has(field)) {
      diagnostics.push({ severity: 'error', code: 'unknown-field', message: 'unknown field', path: `spec.${field}`, plugin: CORE });
    }
  }
  const set = keys.filter((key) => spec[key] !== undefined && spec[key] !== null);
  if (set.length !== 1) {
    diagnostics.push({
      severity: 'error',
      code: 'exactly-one-type',
      message: `exactly one of the fields in [${keys.join(' ')}] must be set`,
      path: 'spec',
      plugin: CORE,
    });
    return { fragment: { diagnostics } };
  }
  const key = set[0]!;
  const plugin = registry.byKey.get(key)!;
  const legacy = spec.type;
  if (legacy !== undefined) {
    const named = typeof legacy === 'string' ? registry.typePluginFor(legacy) : undefined;
    const known = keys.flatMap((k) => registry.byKey.get(k)?.legacyType ?? []);
    if (!named) {
      diagnostics.push({ severity: 'error', code: 'invalid-field', path: 'spec.type', message: `must be one of [${known.join(' ')}]`, plugin: CORE });
    } else if (named !== plugin) {
      diagnostics.push({
        severity: 'error',
        code: 'type-mismatch',
        path: 'spec.type',
        plugin: CORE,
        message: `${String(legacy)} does not match the field that is set (${key})`,
      });
    }
  }
  const path = `spec.${key}`;
  const parsed = plugin.schema!.safeParse(spec[key]);
  if (!parsed.success) diagnostics.push(...issuesToDiagnostics(parsed.error, path, plugin.name, spec[key]));
  if (diagnostics.length > 0) return { plugin, fragment: { diagnostics } };

  const fragment = runHook(plugin, () => plugin.translate!(parsed.data, { ...ctx, path }));
  return { plugin, fragment: fragment ?? {} };
}

/** A plugin that throws is a bug in the plugin; it becomes a diagnostic, not a crash. */
export function runHook(plugin: BackendPlugin, hook: () => Fragment | undefined): Fragment | undefined {
  try {
    return hook();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { diagnostics: [{ severity: 'error', code: 'plugin-failed', plugin: plugin.name, message: `plugin failed: ${reason}` }] };
  }
}
