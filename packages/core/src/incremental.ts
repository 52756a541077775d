import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { Composed } from './compose';
import type { ExtraCluster, TranslateContext } from './plugin';
import { keyOf, ResourceIndex, type KubeObject } from './resources';

/**
 * An injected source (EC2 instances, Secrets, EndpointSlices from an informer) that says when its
 * answers may have changed. Results that read a source are reused by an incremental translation only
 * when the source has a `cacheVersion` and it is the same as before; a source without one is read
 * afresh on every translation. Change the version whenever anything the source answers changes.
 */
export interface VersionedSource {
  readonly cacheVersion: string | number;
}

/** The `cacheVersion` of a source, or undefined when it has none. */
export function sourceVersion(source: unknown): string | number | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const version = (source as Partial<VersionedSource>).cacheVersion;
  return typeof version === 'string' || typeof version === 'number' ? version : undefined;
}

/** Plain data as JSON has it; the cache's copy of an object as it was read. */
type Data = null | boolean | number | string | undefined | readonly Data[] | { readonly [key: string]: Data };
/** Stands for a value that is not plain data (a Date, a Map, a cycle, absurd nesting): never the same as anything. */
const OPAQUE: unique symbol = Symbol('opaque');
type Snapshot = Data | typeof OPAQUE;

/** One thing a translation step read, and how to tell whether it is still the same. */
type Dependency =
  | { kind: 'get'; type: string; namespace: string; name: string; found: boolean; snapshot: Snapshot }
  | { kind: 'list'; type: string; namespace: string | undefined; snapshots: Snapshot[] }
  | { kind: 'label'; type: string; namespace: string; label: string; value: string; snapshots: Snapshot[] }
  | { kind: 'duplicates'; content: string }
  | { kind: 'source'; token: InjectionToken<unknown>; registered: false }
  | { kind: 'source'; token: InjectionToken<unknown>; registered: true; value: unknown; version: string | number };

interface Entry<T> {
  /** The step's own input as it was (a Backend; an extra cluster's object and fragment). */
  input: Snapshot;
  /** For extra clusters: the fragment object itself, which a reused `clusters` hook hands back unchanged. */
  fragment?: object;
  dependencies: Dependency[];
  value: T;
}

/** A Backend's translation: its composed cluster and the type plugin's key. */
export interface BackendOutcome {
  composed: Composed;
  typeKey?: string;
}

interface Stores {
  backends: Map<string, Entry<BackendOutcome>>;
  hooks: Map<string, Entry<ExtraCluster[]>>;
  extras: Map<string, Entry<Composed>>;
}

/**
 * The results of earlier translations, for a translator called again with mostly the same objects
 * (docs/performance.md). A step (one Backend, one plugin's `clusters` hook, one extra cluster) is
 * reused when its own input has the same content as before and everything it read through
 * `ctx.resources` or an injected source is unchanged. Content is compared as data, field by field
 * in order, against a copy taken when the step ran: a new object with the same content is a hit, an
 * object changed in place is a miss. Only the results used by the latest translation are kept.
 */
export class TranslationCache {
  private stores: Stores = { backends: new Map(), hooks: new Map(), extras: new Map() };

  /** Starts one translation over `resources`. */
  begin(resources: ResourceIndex, container: DependencyContainer, ctx: TranslateContext): TranslationRun {
    return new TranslationRun(resources, container, ctx, this.stores);
  }

  /** Keeps what the run used, drops the rest. */
  end(run: TranslationRun): void {
    this.stores = run.used;
  }
}

/** One translation: answers from the cache where it can, records what it computes. */
export class TranslationRun {
  readonly used: Stores = { backends: new Map(), hooks: new Map(), extras: new Map() };
  /** Objects of this translation known to hold the same data as a snapshot (compared once). */
  private readonly same = new Map<object, Snapshot>();

  constructor(
    private readonly resources: ResourceIndex,
    private readonly container: DependencyContainer,
    private readonly ctx: TranslateContext,
    private readonly previous: Stores,
  ) {}

  /** A Backend's translation: reused, or computed by `compute` with a recording context. */
  backend<A>(backend: KubeObject, arg: A, compute: (backend: KubeObject, arg: A, ctx: TranslateContext) => BackendOutcome): BackendOutcome {
    const id = keyOf(backend.kind, backend.metadata.namespace, backend.metadata.name);
    const entry = this.previous.backends.get(id);
    if (entry && this.matches(backend, entry.input) && this.unchanged(entry.dependencies)) {
      this.used.backends.set(id, entry);
      return entry.value;
    }
    const recorded = this.record((ctx) => compute(backend, arg, ctx));
    const input = this.snapshotOf(backend);
    if (recorded.cacheable && input !== OPAQUE && composedCacheable(recorded.value.composed)) {
      this.used.backends.set(id, { input, dependencies: recorded.dependencies, value: recorded.value });
    }
    return recorded.value;
  }

  /** A plugin's extra clusters: reused, or computed by `compute` with a recording context. */
  extraClusters(plugin: string, compute: (ctx: TranslateContext) => ExtraCluster[]): ExtraCluster[] {
    const entry = this.previous.hooks.get(plugin);
    if (entry && this.unchanged(entry.dependencies)) {
      this.used.hooks.set(plugin, entry);
      // Reused clusters point at this translation's objects (same content), for lines in messages.
      return entry.value.map((extra) => {
        const { kind, metadata } = extra.resource;
        const current = this.resources.get(kind, metadata.namespace, metadata.name);
        return current && current !== extra.resource && this.matches(current, this.snapshotOf(extra.resource)) ? { ...extra, resource: current } : extra;
      });
    }
    const recorded = this.record(compute);
    if (recorded.cacheable && recorded.value.every((e) => fragmentCacheable(e.fragment))) {
      this.used.hooks.set(plugin, { input: null, dependencies: recorded.dependencies, value: recorded.value });
    }
    return recorded.value;
  }

  /** An extra cluster composed with the feature plugins: reused when the cluster is the same. */
  extraCluster(plugin: string, extra: ExtraCluster, compute: (ctx: TranslateContext) => Composed): Composed {
    const id = `${plugin}\0${extra.clusterName}`;
    const entry = this.previous.extras.get(id);
    const input = (): Snapshot => {
      const resource = this.snapshotOf(extra.resource);
      const fragment = snapshot(extra.fragment);
      return resource === OPAQUE || fragment === OPAQUE ? OPAQUE : { resource, fragment };
    };
    if (entry && this.unchanged(entry.dependencies)) {
      // A reused hook hands back the very fragment composed before; otherwise compare the data.
      const same = entry.fragment === extra.fragment ? this.matches(extra.resource, (entry.input as { resource: Snapshot }).resource) : sameData(input(), entry.input);
      if (same) {
        this.used.extras.set(id, entry);
        return entry.value;
      }
    }
    const recorded = this.record(compute);
    const value = input();
    if (recorded.cacheable && value !== OPAQUE && composedCacheable(recorded.value)) {
      this.used.extras.set(id, { input: value, fragment: extra.fragment, dependencies: recorded.dependencies, value: recorded.value });
    }
    return recorded.value;
  }

  /** Runs `compute` with a context whose lookups are written down. */
  private record<T>(compute: (ctx: TranslateContext) => T): { value: T; dependencies: Dependency[]; cacheable: boolean } {
    const dependencies: Dependency[] = [];
    let cacheable = true;
    const real = this.resources;
    const view = Object.create(real) as ResourceIndex;
    view.get = <U extends KubeObject>(type: string, namespace: string, name: string) => {
      const found = real.get<U>(type, namespace, name);
      dependencies.push({ kind: 'get', type, namespace, name, found: found !== undefined, snapshot: found && this.snapshotOf(found) });
      return found;
    };
    view.list = <U extends KubeObject>(type: string, namespace?: string) => {
      const found = real.list<U>(type, namespace);
      dependencies.push({ kind: 'list', type, namespace, snapshots: found.map((o) => this.snapshotOf(o)) });
      return found;
    };
    view.withLabel = <U extends KubeObject>(type: string, namespace: string, label: string, value: string) => {
      const found = real.withLabel<U>(type, namespace, label, value);
      dependencies.push({ kind: 'label', type, namespace, label, value, snapshots: found.map((o) => this.snapshotOf(o)) });
      return found;
    };
    Object.defineProperty(view, 'duplicates', {
      get() {
        dependencies.push({ kind: 'duplicates', content: [...real.duplicates].sort().join('\n') });
        return real.duplicates;
      },
    });
    const container = this.container;
    const ctx: TranslateContext = {
      ...this.ctx,
      resources: view,
      resolve<S>(token: InjectionToken<S>, fallback: () => S): S {
        if (!container.isRegistered(token, true)) {
          dependencies.push({ kind: 'source', token, registered: false });
          return fallback();
        }
        const value = container.resolve(token);
        const version = sourceVersion(value);
        if (version === undefined) cacheable = false;
        else dependencies.push({ kind: 'source', token, registered: true, value, version });
        return value;
      },
    };
    const value = compute(ctx);
    // What was read but cannot be compared later makes the result one-off.
    const opaque = dependencies.some((d) => (d.kind === 'get' ? d.snapshot === OPAQUE : (d.kind === 'list' || d.kind === 'label') && d.snapshots.includes(OPAQUE)));
    return { value, dependencies, cacheable: cacheable && !opaque };
  }

  private unchanged(dependencies: readonly Dependency[]): boolean {
    for (const dependency of dependencies) if (!this.still(dependency)) return false;
    return true;
  }

  private still(dependency: Dependency): boolean {
    const real = this.resources;
    switch (dependency.kind) {
      case 'get': {
        const found = real.get(dependency.type, dependency.namespace, dependency.name);
        return found === undefined ? !dependency.found : dependency.found && this.matches(found, dependency.snapshot);
      }
      case 'list':
        return this.allMatch(real.list(dependency.type, dependency.namespace), dependency.snapshots);
      case 'label':
        return this.allMatch(real.withLabel(dependency.type, dependency.namespace, dependency.label, dependency.value), dependency.snapshots);
      case 'duplicates':
        return [...real.duplicates].sort().join('\n') === dependency.content;
      case 'source': {
        if (!dependency.registered) return !this.container.isRegistered(dependency.token, true);
        if (!this.container.isRegistered(dependency.token, true)) return false;
        const value = this.container.resolve(dependency.token);
        return value === dependency.value && sourceVersion(value) === dependency.version;
      }
    }
  }

  private allMatch(objects: readonly object[], snapshots: readonly Snapshot[]): boolean {
    if (objects.length !== snapshots.length) return false;
    for (let i = 0; i < objects.length; i++) if (!this.matches(objects[i]!, snapshots[i]!)) return false;
    return true;
  }

  /** Whether an object of this translation holds the data of a snapshot; compared once per pair. */
  private matches(object: object, snap: Snapshot): boolean {
    if (snap === OPAQUE) return false;
    if (this.same.get(object) === snap) return true;
    if (!sameData(object, snap)) return false;
    this.same.set(object, snap);
    return true;
  }

  /** A snapshot of an object of this translation; shared by every step that read it. */
  private snapshotOf(object: object): Snapshot {
    const known = this.same.get(object);
    if (known !== undefined) return known;
    const taken = snapshot(object);
    this.same.set(object, taken);
    return taken;
  }
}

/** Deeper than this is not compared (and not cached): real objects nest about ten levels. */
const MAX_DEPTH = 100;
/** A snapshot object's keys, in order, kept beside it so that comparing allocates less. */
const KEYS: unique symbol = Symbol('keys');

/** A copy of plain data (strings are shared, they cannot change); OPAQUE for anything else. */
export function snapshot(value: unknown, depth = 0): Snapshot {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint' ? OPAQUE : (value as Data);
  }
  if (depth > MAX_DEPTH) return OPAQUE;
  if (Array.isArray(value)) {
    const copy: Data[] = [];
    for (const item of value) {
      const taken = snapshot(item, depth + 1);
      if (taken === OPAQUE) return OPAQUE;
      copy.push(taken);
    }
    return copy;
  }
  if (!isPlain(value)) return OPAQUE;
  const keys = Object.keys(value);
  const copy: Record<string, Data> & { [KEYS]?: readonly string[] } = {};
  for (const key of keys) {
    const taken = snapshot((value as Record<string, unknown>)[key], depth + 1);
    if (taken === OPAQUE) return OPAQUE;
    // defineProperty: a `__proto__` key stays a key.
    Object.defineProperty(copy, key, { value: taken, enumerable: true, writable: false, configurable: false });
  }
  copy[KEYS] = keys;
  return Object.freeze(copy);
}

/** Whether a value holds the same data as a snapshot: the same keys in the same order, the same leaves. */
export function sameData(value: unknown, snap: Snapshot, depth = 0): boolean {
  if (snap === OPAQUE) return false;
  if (value === snap) return true;
  if (snap === null || typeof snap !== 'object' || value === null || typeof value !== 'object' || depth > MAX_DEPTH) return false;
  if (Array.isArray(snap)) {
    if (!Array.isArray(value) || value.length !== snap.length) return false;
    for (let i = 0; i < snap.length; i++) if (!sameData(value[i], snap[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(value)) return false;
  if (!isPlain(value)) return false;
  const snapKeys = (snap as { [KEYS]?: readonly string[] })[KEYS] ?? Object.keys(snap);
  // for-in walks own keys in Object.keys order without building an array (a plain object inherits
  // no enumerable keys, and if it did, the count below would not match).
  let n = 0;
  for (const key in value) {
    if (key !== snapKeys[n] || !sameData((value as Record<string, unknown>)[key], (snap as Record<string, Data>)[key], depth + 1)) return false;
    n++;
  }
  return n === snapKeys.length;
}

/** A plain object of any realm (a vm context, a test runner's sandbox): no class in between. */
function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Diagnostics that a plugin located itself (`source` with a line) may point at lines that moved
 * while the content stayed the same; such results are recomputed rather than reused.
 */
function composedCacheable(composed: Composed): boolean {
  return composed.diagnostics.every((d) => d.source === undefined);
}

function fragmentCacheable(fragment: ExtraCluster['fragment']): boolean {
  return (fragment.diagnostics ?? []).every((d) => d.source === undefined);
}
