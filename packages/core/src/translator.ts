import { container as rootContainer, inject, injectable, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { translateBackend } from './backend';
import { compose, type Composed } from './compose';
import { screenEnvelopes } from './envelope';
import { TranslationCache, type BackendOutcome } from './incremental';
import { compareStrings, keyOf, refOf, ResourceIndex, type KubeObject } from './resources';
import type { Diagnostic, ResourceRef } from './diagnostics';
import type { Cluster, ClusterLoadAssignment } from './envoy';
import { lineOf, loadText, type LoadOptions } from './load';
import { backendClusterName } from './names';
import type { BackendPlugin, ClusterTarget, Condition, ExtraCluster, TranslateContext, TranslatorOptions } from './plugin';
import { BACKEND_PLUGIN, PluginRegistry } from './registry';
import { acceptedCondition, type ResourceStatus } from './status';
import { resolveRoutes, type RouteResult } from './routing';

export const TRANSLATOR_OPTIONS = Symbol.for('backendkit.TranslatorOptions');
export const TRANSLATOR_CONTAINER = Symbol.for('backendkit.Container');

/** One cluster the translation considered, valid or not. */
export interface TargetResult {
  resource: ResourceRef;
  clusterName: string;
  /** The type plugin's key for Backends. */
  typeKey?: string;
  appProtocol?: string;
  valid: boolean;
}

export interface TranslationResult {
  /** Valid clusters, sorted by name. */
  clusters: Cluster[];
  /** Load assignments of EDS clusters, sorted by cluster name. */
  assignments: ClusterLoadAssignment[];
  /** One per Backend, sorted by namespace and name. */
  statuses: ResourceStatus[];
  /** Every problem found, errors and warnings. */
  diagnostics: Diagnostic[];
  /** Every cluster target, sorted by cluster name. */
  targets: TargetResult[];
  /** One per HTTPRoute, sorted by namespace and name: backendRefs resolved to clusters (SPEC §5). */
  routes: RouteResult[];
}

@injectable()
export class Translator {
  private readonly cache = new TranslationCache();

  constructor(
    @inject(PluginRegistry) readonly registry: PluginRegistry,
    @inject(TRANSLATOR_OPTIONS) readonly options: TranslatorOptions,
    @inject(TRANSLATOR_CONTAINER) private readonly container: DependencyContainer,
  ) {}

  /**
   * Translates loaded objects. Never throws on bad input: it reports diagnostics. Called again, it
   * reuses what did not change (unless `incremental: false`), and the result shares those parts with
   * earlier results: treat results as read-only.
   */
  translate(input: readonly KubeObject[]): TranslationResult {
    const { objects, diagnostics: malformed } = screenEnvelopes(input);
    // Reuses the results of unchanged Backends from earlier calls (docs/performance.md).
    const incremental = this.options.incremental !== false;
    const resources = new ResourceIndex(objects, incremental ? this.cache.indexOrders : undefined);
    const ctx = this.context(resources);
    const run = incremental ? this.cache.begin(resources, this.container, ctx) : undefined;
    const result: TranslationResult = { clusters: [], assignments: [], statuses: [], diagnostics: malformed, targets: [], routes: [] };

    const translateOne = (backend: KubeObject, clusterName: string, ctx: TranslateContext) => this.translateBackend(backend, clusterName, ctx);
    for (const backend of resources.list('Backend')) {
      const { namespace, name } = backend.metadata;
      const clusterName = backendClusterName(namespace, name);
      const outcome: BackendOutcome = resources.duplicates.has(keyOf('Backend', namespace, name))
        ? { composed: { diagnostics: [duplicate(backend)], conditions: [] } }
        : run
          ? run.backend(backend, clusterName, translateOne)
          : translateOne(backend, clusterName, ctx);
      // A reused outcome brings its target and status along (the same data: the Backend is unchanged).
      this.collect(result, backend, clusterName, outcome.typeKey, outcome.composed, outcome);
      result.statuses.push((outcome.status ??= backendStatus(backend, outcome.composed)));
    }

    const composeExtra = (extra: ExtraCluster, plugin: string, ctx: TranslateContext) =>
      compose({ ...extra, appProtocol: extra.fragment.appProtocol }, plugin, this.registry.plugins, ctx);
    for (const plugin of this.registry.plugins) {
      if (!plugin.clusters) continue;
      const list = (ctx: TranslateContext) => plugin.clusters!(ctx);
      for (const extra of run ? run.extraClusters(plugin.name, list) : list(ctx)) {
        const outcome = run ? run.extraCluster(plugin.name, extra, composeExtra) : { composed: composeExtra(extra, plugin.name, ctx) };
        this.collect(result, extra.resource, extra.clusterName, undefined, outcome.composed, outcome);
      }
    }

    if (run) {
      // The same order as the sorts below, remembered from the last call when the names come alike.
      result.clusters = run.sortedBy('clusters', result.clusters, (c) => c.name);
      result.assignments = run.sortedBy('assignments', result.assignments, (a) => a.clusterName);
      result.targets = run.sortedBy('targets', result.targets, (t) => t.clusterName);
      this.cache.end(run);
    } else {
      result.clusters.sort((a, b) => compareStrings(a.name, b.name));
      result.assignments.sort((a, b) => compareStrings(a.clusterName, b.clusterName));
      result.targets.sort((a, b) => compareStrings(a.clusterName, b.clusterName));
    }

    // Statuses and problems of the objects plugins own (policies), from the whole input.
    for (const plugin of this.registry.plugins) {
      if (plugin.statuses) result.statuses.push(...plugin.statuses(ctx));
      if (plugin.diagnostics) result.diagnostics.push(...plugin.diagnostics(ctx));
    }

    // --- Routing (SPEC §5, §6): HTTPRoute backendRefs → cluster names. Reads only the input and the
    // registry's refKinds, never the clusters above: a ref to an invalid Backend still names its cluster.
    const routing = resolveRoutes(this.registry.refKinds, ctx);
    result.routes = routing.routes;
    result.diagnostics.push(...routing.diagnostics);
    // --- end of routing

    return result;
  }

  /** One Backend: its type plugin's fragment, composed with the feature plugins. */
  private translateBackend(backend: KubeObject, clusterName: string, ctx: TranslateContext): BackendOutcome {
    const typed = translateBackend(this.registry, { ...ctx, backend, clusterName });
    const typeKey = typed.plugin?.key;
    const target: ClusterTarget = {
      clusterName,
      resource: backend,
      typeKey,
      appProtocol: typed.fragment.appProtocol,
      fragment: typed.fragment,
    };
    const composed = compose(target, typed.plugin?.name ?? '@backendkit/core', this.registry.plugins, ctx);
    return { composed, ...(typeKey ? { typeKey } : {}) };
  }

  /** Loads YAML/JSON text and translates it; load problems join the diagnostics. */
  translateText(text: string, options?: LoadOptions): TranslationResult {
    const loaded = loadText(text, { kinds: this.registry.kinds, ...options });
    const result = this.translate(loaded.objects);
    result.diagnostics.unshift(...loaded.diagnostics);
    return result;
  }

  private context(resources: ResourceIndex): TranslateContext {
    const container = this.container;
    return {
      resources,
      options: this.options,
      resolve<T>(token: InjectionToken<T>, fallback: () => T): T {
        return container.isRegistered(token, true) ? container.resolve(token) : fallback();
      },
    };
  }

  private collect(
    result: TranslationResult,
    resource: KubeObject,
    clusterName: string,
    typeKey: string | undefined,
    composed: Composed,
    memo: { target?: TargetResult } = {},
  ): void {
    const ref = memo.target?.resource ?? refOf(resource);
    for (const d of composed.diagnostics) {
      const line = resource.source && d.path ? lineOf(resource, d.path) : undefined;
      const source = d.source ?? (resource.source && { ...resource.source, ...(line ? { line } : {}) });
      result.diagnostics.push({ ...d, resource: d.resource ?? ref, ...(source ? { source } : {}) });
    }
    if (composed.cluster) result.clusters.push(composed.cluster);
    if (composed.assignment) result.assignments.push(composed.assignment);
    memo.target ??= {
      resource: ref,
      clusterName,
      ...(typeKey ? { typeKey } : {}),
      ...(composed.appProtocol ? { appProtocol: composed.appProtocol } : {}),
      valid: composed.cluster !== undefined,
    };
    result.targets.push(memo.target);
  }
}

function duplicate(backend: KubeObject): Diagnostic {
  const { namespace, name } = backend.metadata;
  return { severity: 'error', code: 'duplicate', message: `Backend ${namespace}/${name} is defined more than once` };
}

function backendStatus(backend: KubeObject, composed: Composed): ResourceStatus {
  const errors = composed.diagnostics.filter((d) => d.severity === 'error');
  const conditions: Condition[] = [acceptedCondition(errors), ...composed.conditions];
  const { namespace, name } = backend.metadata;
  return { apiVersion: backend.apiVersion, kind: backend.kind, namespace, name, conditions };
}

export interface CreateTranslatorOptions extends TranslatorOptions {
  plugins: readonly BackendPlugin[];
  /** Values for injection tokens (endpoint, secret or instance sources). */
  provide?: ReadonlyArray<readonly [InjectionToken<unknown>, unknown]>;
  /** Parent container; the translator gets a child of it. Default: tsyringe's root container. */
  container?: DependencyContainer;
}

/** A translator with these plugins, in a child container of its own (nothing leaks between translators). */
export function createTranslator(options: CreateTranslatorOptions): Translator {
  const { plugins, provide = [], container = rootContainer, ...translatorOptions } = options;
  const child = container.createChildContainer();
  // tsyringe lets a child's registrations hide the parent's: carry the parent's plugins over first.
  const inherited = container.isRegistered(BACKEND_PLUGIN, true) ? container.resolveAll<BackendPlugin>(BACKEND_PLUGIN) : [];
  for (const plugin of [...inherited, ...plugins]) child.register(BACKEND_PLUGIN, { useValue: plugin });
  for (const [token, value] of provide) child.register(token, { useValue: value });
  // Built here rather than by tsyringe, which would wrap a DuplicatePluginError in its own error.
  child.register(PluginRegistry, { useValue: new PluginRegistry([...inherited, ...plugins]) });
  child.register(TRANSLATOR_OPTIONS, { useValue: translatorOptions });
  child.register(TRANSLATOR_CONTAINER, { useValue: child });
  return child.resolve(Translator);
}
