import type { Diagnostic } from './diagnostics';
import { isPlainObject } from './load';
import type { BackendContext, BackendPlugin, Fragment, TranslateContext } from './plugin';
import type { KubeObject } from './resources';
import type { PluginRegistry } from './registry';
import { closestMatch } from './suggest';
import { issuesToDiagnostics } from './validate';
import { CORE_PLUGIN } from './names';

export interface TypedFragment {
  plugin?: BackendPlugin;
  fragment: Fragment;
}

/**
 * docs/architecture.md: picks the one type plugin for a Backend, validates its part of the spec and runs
 * `translate`. Problems come back as diagnostics on the fragment.
 */
export function translateBackend(registry: PluginRegistry, ctx: TranslateContext, backend: KubeObject, clusterName: string): TypedFragment {
  const spec = backend.spec;
  if (!isPlainObject(spec)) {
    return { fragment: { diagnostics: [{ severity: 'error', code: 'invalid-field', message: 'must be an object', path: 'spec', plugin: CORE_PLUGIN }] } };
  }

  const keys = registry.typeKeys;
  const diagnostics: Diagnostic[] = [];
  for (const field of Object.keys(spec)) {
    if (field !== 'type' && !registry.byKey.has(field)) {
      const hint = closestMatch(field, keys);
      const message = hint ? `unknown field (did you mean ${hint}?)` : 'unknown field';
      diagnostics.push({ severity: 'error', code: 'unknown-field', message, path: `spec.${field}`, plugin: CORE_PLUGIN });
    }
  }
  // The one key set, found without a list per Backend; `undefined` when none or several are.
  let key: string | undefined;
  let setCount = 0;
  for (const k of keys) {
    if (spec[k] !== undefined && spec[k] !== null) {
      key = k;
      setCount++;
    }
  }
  if (setCount !== 1 || key === undefined) {
    diagnostics.push({
      severity: 'error',
      code: 'exactly-one-type',
      message: `exactly one of the fields in [${keys.join(' ')}] must be set`,
      path: 'spec',
      plugin: CORE_PLUGIN,
    });
    return { fragment: { diagnostics } };
  }
  const legacy = spec.type;
  if (legacy !== undefined) {
    const named = typeof legacy === 'string' ? registry.keyForLegacyType(legacy) : undefined;
    if (!named) {
      diagnostics.push({
        severity: 'error',
        code: 'invalid-field',
        path: 'spec.type',
        message: `must be one of [${registry.legacyTypes.join(' ')}]`,
        plugin: CORE_PLUGIN,
      });
    } else if (named !== key) {
      diagnostics.push({
        severity: 'error',
        code: 'type-mismatch',
        path: 'spec.type',
        plugin: CORE_PLUGIN,
        message: `${String(legacy)} does not match the field that is set (${key})`,
      });
    }
  }
  const path = `spec.${key}`;
  const plugin = pickVariant(registry.byKey.get(key)!, spec[key], path, diagnostics);
  if (!plugin) return { fragment: { diagnostics } };
  // The plugin's quick check first: what it vouches for, the schema would take and output the same.
  const value = spec[key];
  let data: unknown;
  try {
    data = plugin.wellFormed?.(value);
  } catch (error) {
    diagnostics.push(pluginFailed(plugin, error));
    return { plugin, fragment: { diagnostics } };
  }
  if (data === undefined) {
    const parsed = plugin.schema!.safeParse(value);
    if (parsed.success) data = parsed.data;
    else diagnostics.push(...issuesToDiagnostics(parsed.error, path, plugin.name, value));
  }
  if (diagnostics.length > 0) return { plugin, fragment: { diagnostics } };

  // One context object per Backend, made here rather than in each caller, field by field: V8 copies
  // `{ ...ctx, backend }` through a slow path (about 2 µs), and even `{ backend, ...ctx }` costs about
  // 1 µs, the spread's own; a TranslateContext is these four fields (docs/performance.md, "The
  // translation's own work"). One shape for every Backend and memo.
  const backendCtx: BackendContext = { backend, clusterName, path, resources: ctx.resources, options: ctx.options, resolve: ctx.resolve, shared: ctx.shared };
  let fragment: Fragment | undefined;
  try {
    fragment = plugin.translate!(data, backendCtx);
  } catch (error) {
    fragment = { diagnostics: [pluginFailed(plugin, error)] };
  }
  return { plugin, fragment: fragment ?? {} };
}

/** A plugin that throws is a bug in the plugin; it becomes this diagnostic, not a crash. */
export function pluginFailed(plugin: BackendPlugin, error: unknown): Diagnostic {
  const reason = error instanceof Error ? error.message : String(error);
  return { severity: 'error', code: 'plugin-failed', plugin: plugin.name, message: `plugin failed: ${reason}` };
}

/** One plugin for a key; for shared keys, the one whose variant field is set (exactly one). */
function pickVariant(owners: readonly BackendPlugin[], value: unknown, path: string, diagnostics: Diagnostic[]): BackendPlugin | undefined {
  if (owners.length === 1 && owners[0]!.variant === undefined) return owners[0];
  const fail = (message: string): undefined => {
    diagnostics.push({ severity: 'error', code: 'exactly-one-type', message, path, plugin: CORE_PLUGIN });
    return undefined;
  };
  if (!isPlainObject(value)) return fail('must be an object');
  const set = owners.filter((o) => value[o.variant!] !== undefined && value[o.variant!] !== null);
  if (set.length !== 1) return fail(`exactly one of the fields in [${owners.map((o) => o.variant).join(' ')}] must be set`);
  return set[0];
}
