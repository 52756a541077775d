import { DuplicatePluginError, InvalidPluginError } from './errors';
import type { BackendPlugin } from './plugin';
import { acceptedKinds, type KindTable } from './resources';
import { refKindTable, type RegisteredRefKind } from './routing/kinds';

/** The tsyringe token every plugin is registered under (`container.register(BACKEND_PLUGIN, {useValue})`). */
export const BACKEND_PLUGIN = Symbol.for('backendkit.BackendPlugin');

/**
 * The plugins of one translator, checked, in registration order. Order decides which hook runs first,
 * never what the merged cluster is (docs/plugins.md, "Order and variants").
 */
export class PluginRegistry {
  /** All plugins, in registration order. */
  readonly plugins: readonly BackendPlugin[];
  /** Type plugins by the spec key they own (several when they own variants), in registration order. */
  readonly byKey: ReadonlyMap<string, readonly BackendPlugin[]>;
  /** What HTTPRoute backendRefs may point at, by `group/kind`: core's rows, then plugins' `refKinds`. */
  readonly refKinds: ReadonlyMap<string, RegisteredRefKind>;
  /** The object kinds the loader keeps for these plugins: core's and every plugin's `kinds`. */
  readonly kinds: KindTable;
  /** The registered type keys, one list for every Backend's look-up (`keys` is a copy of it). */
  readonly typeKeys: readonly string[];

  constructor(plugins: readonly BackendPlugin[] = []) {
    const byName = new Map<string, BackendPlugin>();
    const byKey = new Map<string, BackendPlugin[]>();
    for (const plugin of plugins) {
      checkShape(plugin);
      const sameName = byName.get(plugin.name);
      if (sameName) throw new DuplicatePluginError('name', plugin.name, [sameName.name, plugin.name]);
      byName.set(plugin.name, plugin);
      if (plugin.key === undefined) continue;
      const owners = byKey.get(plugin.key) ?? [];
      const clash = owners.find((o) => o.variant === undefined || plugin.variant === undefined || o.variant === plugin.variant);
      if (clash) {
        const what = plugin.variant && clash.variant ? `${plugin.key}.${plugin.variant}` : plugin.key;
        throw new DuplicatePluginError('key', what, [clash.name, plugin.name]);
      }
      byKey.set(plugin.key, [...owners, plugin]);
    }
    this.byKey = byKey;
    this.typeKeys = [...byKey.keys()];
    this.refKinds = refKindTable(plugins);
    this.kinds = acceptedKinds(plugins);
    this.plugins = [...plugins];
  }

  /** The registered type keys, as the exactly-one message lists them. */
  get keys(): string[] {
    return [...this.typeKeys];
  }

  /** The key a legacy `spec.type` value stands for. */
  keyForLegacyType(legacyType: string): string | undefined {
    return [...this.byKey.values()].flat().find((p) => p.legacyType === legacyType)?.key;
  }

  /** The distinct legacy `spec.type` values, in registration order. */
  get legacyTypes(): string[] {
    return [...new Set([...this.byKey.values()].flat().flatMap((p) => p.legacyType ?? []))];
  }
}

function checkShape(plugin: BackendPlugin): void {
  if (typeof plugin !== 'object' || plugin === null || typeof plugin.name !== 'string' || plugin.name === '') {
    throw new InvalidPluginError('a plugin must be an object with a non-empty name');
  }
  if (plugin.key !== undefined && (!plugin.schema || !plugin.translate)) {
    throw new InvalidPluginError(`plugin "${plugin.name}" owns the key "${plugin.key}" but lacks schema or translate`);
  }
  if (plugin.variant !== undefined && plugin.key === undefined) {
    throw new InvalidPluginError(`plugin "${plugin.name}" has a variant but no key`);
  }
  if (plugin.key === undefined && plugin.translate) {
    throw new InvalidPluginError(`plugin "${plugin.name}" has translate but no key to own`);
  }
  const kinds: unknown = plugin.kinds;
  const kindsOk =
    kinds === undefined ||
    (typeof kinds === 'object' &&
      kinds !== null &&
      !Array.isArray(kinds) &&
      Object.entries(kinds).every(([kind, versions]) => kind !== '' && Array.isArray(versions) && versions.every((v) => typeof v === 'string' && v !== '')));
  if (!kindsOk) throw new InvalidPluginError(`plugin "${plugin.name}" has malformed kinds (it maps each kind to a list of apiVersions)`);
  if (!plugin.translate && !plugin.extend && !plugin.clusters && !plugin.statuses && !plugin.refKinds) {
    throw new InvalidPluginError(`plugin "${plugin.name}" has no hook (translate, extend, clusters, statuses or refKinds)`);
  }
}
