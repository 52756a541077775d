// tsyringe needs the Reflect metadata API before it loads: an application that wires a translator
// from its own container may import core first and tsyringe after it (docs/architecture.md). Core
// itself loads no tsyringe: a translator without a host container uses `ProvidedValues`.
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { pluginFailed, translateBackend } from './backend';
import { requireHere } from './lazy-require';
import { refuseCollisions } from './collisions';
import { compose, type Composed } from './compose';
import type { Diagnostic } from './diagnostics';
import { loadText, type LoadOptions } from './load';
import { located } from './locate';
import type { MemoRun, Provided, TranslationHost, TranslationMemo } from './memo';
import { memoFor } from './memos';
import { patch, type Assembly } from './patch';
import { ProvidedValues, type TokenLookup } from './provided-values';
import { backendClusterName, CORE_PLUGIN } from './names';
import type { BackendPlugin, ClusterTarget, Condition, ExtraCluster, OwnedStatus, TranslateContext, TranslatorOptions } from './plugin';
import { BACKEND_PLUGIN, PluginRegistry } from './registry';
import { compareStrings, keyOf, refOf, type KindTable, type KubeObject } from './resources';
import type { BackendOutcome, StatusesOutcome, StepOutcome, TargetResult, TranslationResult } from './result';
import { resolveRoutes } from './routing';
import { acceptedCondition, boundedAncestors, boundedCondition, MAX_ANCESTORS, type ResourceStatus } from './status';

// Loads reflect-metadata's global `Reflect.metadata` (above). A call, not a bare import: the package is
// CommonJS, and `require` skips the ES-module loader's export scan (./yaml-lib).
requireHere('reflect-metadata');

export type { TargetResult, TranslationResult } from './result';

/** Translates objects into Envoy clusters with one set of plugins. Made by `createTranslator`. */
export class Translator {
  /** Keeps what incremental reuse needs; a fresh memo keeps nothing (docs/architecture.md). */
  private readonly memo: TranslationMemo;
  private readonly host: TranslationHost;

  /** Use `createTranslator`, which checks the plugins and sets up the container. */
  constructor(
    readonly registry: PluginRegistry,
    readonly options: TranslatorOptions,
    container: TokenLookup,
  ) {
    this.memo = memoFor(options);
    this.host = {
      options,
      lookup: <T>(token: InjectionToken<T>): Provided<T> =>
        container.isRegistered(token, true) ? { registered: true, value: container.resolve(token) } : { registered: false },
    };
  }

  /**
   * Translates loaded objects. Never throws on bad input: it reports diagnostics. Called again, it
   * reuses what did not change (unless `incremental: false`), and the result shares those parts with
   * earlier results: treat results as read-only.
   */
  translate(input: readonly KubeObject[]): TranslationResult {
    const run = this.memo.begin(input, this.host);
    const patched = run.changed && this.assembly && patch(this.assembly, run, (backend, clusterName, ctx) => this.translateBackend(backend, clusterName, ctx));
    let result: TranslationResult;
    if (patched) {
      // The rest is cheap (the memo reuses the statuses hooks) and comes after what the patch keeps.
      this.ownedStatuses(run, patched);
      resolve(this.registry.refKinds, run, patched);
      result = patched;
    } else {
      result = this.assemble(run);
    }
    run.end();
    return result;
  }

  /** The last result's parts, kept when the memo gives deltas (docs/performance.md, "Re-translation driven by what changed"). */
  private assembly: Assembly | undefined;

  /** Every step visited in order: the whole result. */
  private assemble(run: MemoRun): TranslationResult {
    const { diagnostics: screenDiagnostics, duplicateBackends } = run.screened;
    const diagnostics = [...screenDiagnostics];
    const result: TranslationResult = { clusters: [], assignments: [], statuses: [], diagnostics, targets: [], routes: [] };
    const assembly: Assembly = {
      result,
      backends: new Map(),
      located: new Map(),
      backendStatuses: 0,
      backendDiagnostics: [],
      restDiagnostics: [],
      patchable: screenDiagnostics.length === 0 && duplicateBackends.size === 0,
    };

    // Backends: each is one step. What a patch needs is kept only if the next call may patch.
    const keep = run.deltaNext;
    for (const backend of run.resources.list('Backend')) {
      const { namespace, name } = backend.metadata;
      const clusterName = backendClusterName(namespace, name);
      // The key only where it is used: a one-shot run without duplicates joins no key per Backend.
      const key = keep || duplicateBackends.size > 0 ? keyOf('Backend', namespace, name) : '';
      const twice = duplicateBackends.size > 0 ? duplicateBackends.get(key) : undefined;
      const outcome = twice ? duplicateOutcome(backend, clusterName, twice) : run.backend(backend, (ctx) => this.translateBackend(backend, clusterName, ctx));
      const located = collect(result, backend, outcome);
      result.statuses.push(outcome.status);
      if (keep) {
        assembly.backends.set(key, { backend, outcome });
        if (located.length > 0) assembly.located.set(key, located);
      }
    }
    assembly.backendStatuses = result.statuses.length;
    const backendsEnd = result.diagnostics.length;

    // Clusters that are not Backends: each plugin's `clusters` hook is a step, and each cluster it makes.
    for (const plugin of this.registry.plugins) {
      if (!plugin.clusters) continue;
      const hook = plugin.clusters.bind(plugin);
      for (const extra of run.extraClusters(plugin.name, hook)) {
        collect(
          result,
          extra.resource,
          run.extraCluster(plugin.name, extra, (ctx) => this.composeExtra(extra, plugin.name, ctx)),
        );
      }
    }
    assembly.backendDiagnostics = result.diagnostics.slice(screenDiagnostics.length, backendsEnd);
    assembly.restDiagnostics = result.diagnostics.slice(backendsEnd);

    this.ownedStatuses(run, result);

    result.clusters = run.sorted('clusters', result.clusters, (c) => c.name);
    result.assignments = run.sorted('assignments', result.assignments, (a) => a.clusterName);
    result.targets = run.sorted('targets', result.targets, (t) => t.clusterName);

    // Cluster names two targets share: neither cluster is served (docs/security.md).
    const before = result.diagnostics.length;
    refuseCollisions(result);
    // A patch keeps names unique; it cannot take a collision away (or a second target of a name).
    if (result.diagnostics.length !== before || !uniqueNames(result.targets)) assembly.patchable = false;

    resolve(this.registry.refKinds, run, result);
    this.assembly = keep ? assembly : undefined;
    return result;
  }

  /** Statuses of objects plugins own (policies): after the Backends', by kind, namespace and name. */
  private ownedStatuses(run: MemoRun, result: TranslationResult): void {
    const owned: ResourceStatus[] = [];
    for (const plugin of this.registry.plugins) {
      if (!plugin.statuses) continue;
      const outcome = run.statuses(plugin.name, (ctx) => ownedStatuses(plugin, ctx));
      owned.push(...outcome.statuses);
      // A reused outcome's objects are last time's: this translation's copy gives today's lines.
      outcome.diagnostics.forEach((d, i) => {
        const object = outcome.objects[i];
        const current = object && (run.resources.get(object.kind, object.metadata.namespace, object.metadata.name) ?? object);
        result.diagnostics.push(current ? located(current, d) : d);
      });
    }
    for (const status of owned.sort(compareStatuses)) result.statuses.push(status);
  }

  /** The object kinds this translator reads (core's and its plugins'): what `translateText` loads. */
  get kinds(): KindTable {
    return this.registry.kinds;
  }

  /** Loads YAML/JSON text and translates it; load problems join the diagnostics. */
  translateText(text: string, options?: LoadOptions): TranslationResult {
    const loaded = loadText(text, { kinds: this.registry.kinds, ...options });
    const result = this.translate(loaded.objects);
    // An array literal, not `unshift(...)`: a call's spread of many diagnostics overflows the stack.
    result.diagnostics = [...loaded.diagnostics, ...result.diagnostics];
    return result;
  }

  /** One Backend: its type plugin's fragment, composed with the feature plugins, and its status. */
  private translateBackend(backend: KubeObject, clusterName: string, ctx: TranslateContext): BackendOutcome {
    const typed = translateBackend(this.registry, ctx, backend, clusterName);
    const typeKey = typed.plugin?.key;
    const target: ClusterTarget = {
      clusterName,
      resource: backend,
      typeKey,
      appProtocol: typed.fragment.appProtocol,
      fragment: typed.fragment,
    };
    const composed = compose(target, typed.plugin?.name ?? CORE_PLUGIN, this.registry.plugins, ctx);
    return stepOutcome(backend, clusterName, typeKey, composed, backendStatus(backend, composed));
  }

  /** One cluster from a `clusters` hook, composed with the feature plugins. */
  private composeExtra(extra: ExtraCluster, plugin: string, ctx: TranslateContext): StepOutcome {
    // `appProtocol` first where the extra cluster has none of its own: V8 copies `{ ...extra, appProtocol }` through a slow path.
    const appProtocol = extra.fragment.appProtocol;
    const target = Object.hasOwn(extra, 'appProtocol') ? { ...extra, appProtocol } : { appProtocol, ...extra };
    const composed = compose(target, plugin, this.registry.plugins, ctx);
    return stepOutcome(extra.resource, extra.clusterName, undefined, composed);
  }
}

/**
 * What a composed cluster adds to the result; with a `status`, a Backend's outcome. The memo keeps
 * every outcome, so each is one object literal of a fixed shape: objects spread together from
 * optional parts each got a hidden class of their own, about 300 bytes per outcome kept
 * (docs/performance.md, "What the first translation keeps").
 */
function stepOutcome(resource: KubeObject, clusterName: string, typeKey: string | undefined, composed: Composed): StepOutcome;
function stepOutcome(resource: KubeObject, clusterName: string, typeKey: string | undefined, composed: Composed, status: ResourceStatus): BackendOutcome;
function stepOutcome(
  resource: KubeObject,
  clusterName: string,
  typeKey: string | undefined,
  composed: Composed,
  status?: ResourceStatus,
): StepOutcome | BackendOutcome {
  const ref = refOf(resource);
  const { cluster, assignment, appProtocol } = composed;
  const valid = cluster !== undefined;
  const target: TargetResult = typeKey
    ? appProtocol
      ? { resource: ref, clusterName, typeKey, appProtocol, valid }
      : { resource: ref, clusterName, typeKey, valid }
    : appProtocol
      ? { resource: ref, clusterName, appProtocol, valid }
      : { resource: ref, clusterName, valid };
  const diagnostics = composed.diagnostics.length === 0 ? composed.diagnostics : composed.diagnostics.map((d) => ({ ...d, resource: d.resource ?? ref }));
  if (status) {
    if (cluster) return assignment ? { cluster, assignment, diagnostics, target, status } : { cluster, diagnostics, target, status };
    return assignment ? { assignment, diagnostics, target, status } : { diagnostics, target, status };
  }
  if (cluster) return assignment ? { cluster, assignment, diagnostics, target } : { cluster, diagnostics, target };
  return assignment ? { assignment, diagnostics, target } : { diagnostics, target };
}

/** Adds a step's outcome to the result; diagnostics get their lines in this translation's input (returned). */
function collect(result: TranslationResult, resource: KubeObject, outcome: StepOutcome): Diagnostic[] {
  const diagnostics = outcome.diagnostics.length === 0 ? outcome.diagnostics : outcome.diagnostics.map((d) => located(resource, d));
  for (const d of diagnostics) result.diagnostics.push(d);
  if (outcome.cluster) result.clusters.push(outcome.cluster);
  if (outcome.assignment) result.assignments.push(outcome.assignment);
  result.targets.push(outcome.target);
  return diagnostics;
}

/**
 * Routing (docs/routing.md): HTTPRoute backendRefs → cluster names. Reads only the input and the
 * registry's refKinds, never the clusters: a ref to an invalid Backend still names its cluster.
 */
function resolve(refKinds: PluginRegistry['refKinds'], run: MemoRun, result: TranslationResult): void {
  const routing = resolveRoutes(refKinds, run.ctx);
  result.routes = routing.routes;
  for (const d of routing.diagnostics) result.diagnostics.push(d);
}

function uniqueNames(targets: readonly TargetResult[]): boolean {
  for (let i = 1; i < targets.length; i++) if (targets[i]!.clusterName === targets[i - 1]!.clusterName) return false;
  return true;
}

/** A plugin's `statuses` hook, run as a step; a hook that throws is a `plugin-failed` diagnostic. */
function ownedStatuses(plugin: BackendPlugin, ctx: TranslateContext): StatusesOutcome {
  const outcome: StatusesOutcome = { statuses: [], diagnostics: [], objects: [] };
  let owned: OwnedStatus[];
  try {
    owned = plugin.statuses!(ctx);
  } catch (error) {
    outcome.diagnostics.push(pluginFailed(plugin, error));
    outcome.objects.push(undefined);
    return outcome;
  }
  for (const { resource, conditions, ancestors, diagnostics = [] } of owned) {
    const { namespace, name } = resource.metadata;
    const status: ResourceStatus = { apiVersion: resource.apiVersion, kind: resource.kind, namespace, name, conditions };
    if (ancestors) status.ancestors = boundedAncestors(ancestors);
    outcome.statuses.push(status);
    if (ancestors && ancestors.length > MAX_ANCESTORS) {
      outcome.diagnostics.push({
        severity: 'warning',
        code: 'invalid-output',
        plugin: plugin.name,
        resource: refOf(resource),
        message: `the status has ${ancestors.length} ancestors; Gateway API's PolicyStatus holds at most ${MAX_ANCESTORS}: the first ${MAX_ANCESTORS} are kept`,
      });
      outcome.objects.push(resource);
    }
    for (const d of diagnostics) {
      outcome.diagnostics.push({ ...d, plugin: d.plugin ?? plugin.name, resource: d.resource ?? refOf(resource) });
      outcome.objects.push(resource);
    }
  }
  return outcome;
}

function compareStatuses(a: ResourceStatus, b: ResourceStatus): number {
  return compareStrings(a.kind, b.kind) || compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name);
}

/**
 * A Backend defined twice: which copy came first depends on input order, so neither is used. The
 * error (from `screenEnvelopes`) names both places.
 */
function duplicateOutcome(backend: KubeObject, clusterName: string, diagnostic: Diagnostic): BackendOutcome {
  const composed: Composed = { diagnostics: [diagnostic], conditions: [] };
  return stepOutcome(backend, clusterName, undefined, composed, backendStatus(backend, composed));
}

const NO_ERRORS: readonly Diagnostic[] = [];

function backendStatus(backend: KubeObject, composed: Composed): ResourceStatus {
  const errors = composed.diagnostics.length === 0 ? NO_ERRORS : composed.diagnostics.filter((d) => d.severity === 'error');
  const conditions: Condition[] = [acceptedCondition(errors)];
  for (const condition of composed.conditions) conditions.push(boundedCondition(condition));
  const { namespace, name } = backend.metadata;
  return { apiVersion: backend.apiVersion, kind: backend.kind, namespace, name, conditions };
}

export interface CreateTranslatorOptions extends TranslatorOptions {
  plugins: readonly BackendPlugin[];
  /** Values for injection tokens (endpoint, secret or instance sources). */
  provide?: ReadonlyArray<readonly [InjectionToken<unknown>, unknown]>;
  /**
   * A host's container to wire from (docs/architecture.md, "Wiring from a host's container"): the
   * translator gets a child of it, so plugins registered there under `BACKEND_PLUGIN` join `plugins`
   * and sources registered there answer `ctx.resolve`. Default: none, and `ctx.resolve` is answered
   * from `provide` alone, as a fresh root container holding only those values would (never from
   * tsyringe's global container).
   */
  container?: DependencyContainer;
}

/**
 * A translator with these plugins. With a host container, in a child container of it (nothing
 * leaks between translators); without one, the `provide` values alone, as a fresh root container
 * holding only them would answer.
 */
export function createTranslator(options: CreateTranslatorOptions): Translator {
  const { plugins, provide = [], container, ...translatorOptions } = options;
  if (container === undefined) return new Translator(new PluginRegistry([...plugins]), translatorOptions, new ProvidedValues(provide));
  const child = container.createChildContainer();
  // tsyringe lets a child's registrations hide the parent's: carry the parent's plugins over first.
  const inherited = container.isRegistered(BACKEND_PLUGIN, true) ? container.resolveAll<BackendPlugin>(BACKEND_PLUGIN) : [];
  const all = [...inherited, ...plugins];
  for (const plugin of all) child.register(BACKEND_PLUGIN, { useValue: plugin });
  for (const [token, value] of provide) child.register(token, { useValue: value });
  return new Translator(new PluginRegistry(all), translatorOptions, child);
}
