import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { Composed } from './compose';
import type { ExtraCluster, TranslateContext } from './plugin';
import type { ResourceStatus } from './status';
import type { TargetResult } from './translator';
import { compareStrings, keyOf, ResourceIndex, type IndexOrders, type KubeObject } from './resources';

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

/**
 * A snapshot of an object a step read, shared by every step that read the object in one
 * translation, and remembering its last comparison: later translations compare each object with it
 * once, however many steps depend on it.
 */
export class Copy {
  /** The translation and object it was last compared with, and the answer. */
  private run = -1;
  private object: object | undefined;
  private same = false;

  constructor(readonly data: Snapshot) {}

  matches(object: object, run: number): boolean {
    if (this.run === run && this.object === object) return this.same;
    this.run = run;
    this.object = object;
    this.same = sameData(object, this.data);
    return this.same;
  }
}

/** One thing a translation step read, and how to tell whether it is still the same. */
type Dependency =
  | { kind: 'get'; type: string; namespace: string; name: string; copy: Copy | undefined }
  | { kind: 'list'; type: string; namespace: string | undefined; copies: Copy[] }
  | { kind: 'label'; type: string; namespace: string; label: string; value: string; copies: Copy[] }
  | { kind: 'duplicates'; content: string }
  | { kind: 'source'; token: InjectionToken<unknown>; registered: false }
  | { kind: 'source'; token: InjectionToken<unknown>; registered: true; value: unknown; version: string | number };

interface Entry<T> {
  /** The step's own input as it was (a Backend; an extra cluster's object and fragment). */
  input: Snapshot;
  /** For extra clusters: the fragment object itself, which a reused `clusters` hook hands back unchanged. */
  fragment?: object;
  /** For extra clusters: the object the cluster stands for. */
  resource?: Copy;
  dependencies: Dependency[];
  value: T;
}

/** An extra cluster's composition (and, once made, its target). */
export interface ExtraOutcome {
  composed: Composed;
  target?: TargetResult;
}

/** A Backend's translation: its composed cluster and the type plugin's key (and, once made, its status and target). */
export interface BackendOutcome {
  composed: Composed;
  typeKey?: string;
  status?: ResourceStatus;
  target?: TargetResult;
}

interface Stores {
  backends: Map<string, Entry<BackendOutcome>>;
  hooks: Map<string, Entry<ExtraCluster[]>>;
  extras: Map<string, Entry<ExtraOutcome>>;
  /** For each sorted list of the result: the names in the order they came, and the sorting permutation. */
  orders: Map<string, { names: string[]; order: number[] }>;
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
  private stores: Stores = { backends: new Map(), hooks: new Map(), extras: new Map(), orders: new Map() };
  private runs = 0;
  /** For the ResourceIndex of the next translation: how objects arrived and sorted last time. */
  readonly indexOrders: IndexOrders = new Map();

  /** Starts one translation over `resources`. */
  begin(resources: ResourceIndex, container: DependencyContainer, ctx: TranslateContext): TranslationRun {
    return new TranslationRun(resources, container, ctx, this.stores, this.runs++);
  }

  /** Keeps what the run used, drops the rest. */
  end(run: TranslationRun): void {
    this.stores = run.used;
  }
}

/** One translation: answers from the cache where it can, records what it computes. */
export class TranslationRun {
  readonly used: Stores = { backends: new Map(), hooks: new Map(), extras: new Map(), orders: new Map() };
  /** Snapshots taken in this translation, one per object read. */
  private readonly copies = new Map<object, Copy>();
  private readonly tokens = new Map<InjectionToken<unknown>, { registered: boolean; value?: unknown }>();

  constructor(
    private readonly resources: ResourceIndex,
    private readonly container: DependencyContainer,
    private readonly ctx: TranslateContext,
    private readonly previous: Stores,
    private readonly id: number,
  ) {}

  /** A Backend's translation: reused, or computed by `compute` with a recording context. */
  backend<A>(backend: KubeObject, arg: A, compute: (backend: KubeObject, arg: A, ctx: TranslateContext) => BackendOutcome): BackendOutcome {
    const id = keyOf(backend.kind, backend.metadata.namespace, backend.metadata.name);
    const entry = this.previous.backends.get(id);
    if (entry && sameData(backend, entry.input) && this.unchanged(entry.dependencies)) {
      this.used.backends.set(id, entry);
      return entry.value;
    }
    const recorded = this.record((ctx) => compute(backend, arg, ctx));
    const input = this.copyOf(backend).data;
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
      // Reused clusters point at this translation's objects (same content), for the lines that
      // messages give; objects built in code have no lines, and need not be looked up.
      return entry.value.map((extra) => {
        if (extra.resource.source === undefined) return extra;
        const { kind, metadata } = extra.resource;
        const current = this.resources.get(kind, metadata.namespace, metadata.name);
        return current && current !== extra.resource && this.copyOf(extra.resource).matches(current, this.id) ? { ...extra, resource: current } : extra;
      });
    }
    const recorded = this.record(compute);
    if (recorded.cacheable && recorded.value.every((e) => fragmentCacheable(e.fragment))) {
      this.used.hooks.set(plugin, { input: null, dependencies: recorded.dependencies, value: recorded.value });
    }
    return recorded.value;
  }

  /** An extra cluster composed with the feature plugins: reused when the cluster is the same. */
  extraCluster(plugin: string, extra: ExtraCluster, compute: (extra: ExtraCluster, plugin: string, ctx: TranslateContext) => Composed): ExtraOutcome {
    const id = `${plugin}\0${extra.clusterName}`;
    const entry = this.previous.extras.get(id);
    // A reused hook hands back the very fragment composed before; otherwise compare the data.
    if (
      entry &&
      this.unchanged(entry.dependencies) &&
      (entry.fragment === extra.fragment ? entry.resource!.matches(extra.resource, this.id) : sameData(this.extraInput(extra), entry.input))
    ) {
      this.used.extras.set(id, entry);
      return entry.value;
    }
    const recorded = this.record((ctx) => ({ composed: compute(extra, plugin, ctx) }));
    const input = this.extraInput(extra);
    if (recorded.cacheable && input !== OPAQUE && composedCacheable(recorded.value.composed)) {
      const resource = this.copyOf(extra.resource);
      this.used.extras.set(id, { input, fragment: extra.fragment, resource, dependencies: recorded.dependencies, value: recorded.value });
    }
    return recorded.value;
  }

  private extraInput(extra: ExtraCluster): Snapshot {
    const resource = this.copyOf(extra.resource).data;
    const fragment = snapshot(extra.fragment);
    return resource === OPAQUE || fragment === OPAQUE ? OPAQUE : { resource, fragment };
  }

  /**
   * `items` sorted by name (code-unit order, stable), like `Array.prototype.sort` with
   * `compareStrings`. When the names come in the same order as last time, last time's order is
   * applied without comparing them again.
   */
  sortedBy<T>(list: string, items: readonly T[], nameOf: (item: T) => string): T[] {
    const names = items.map(nameOf);
    const previous = this.previous.orders.get(list);
    let order: number[];
    if (previous && sameNames(previous.names, names)) {
      order = previous.order;
    } else {
      order = names.map((_, i) => i);
      order.sort((a, b) => compareStrings(names[a]!, names[b]!) || a - b);
    }
    this.used.orders.set(list, { names, order });
    return order.map((i) => items[i]!);
  }

  /** Runs `compute` with a context whose lookups are written down. */
  private record<T>(compute: (ctx: TranslateContext) => T): { value: T; dependencies: Dependency[]; cacheable: boolean } {
    const dependencies: Dependency[] = [];
    let cacheable = true;
    const real = this.resources;
    const view = Object.create(real) as ResourceIndex;
    view.get = <U extends KubeObject>(type: string, namespace: string, name: string) => {
      const found = real.get<U>(type, namespace, name);
      dependencies.push({ kind: 'get', type, namespace, name, copy: found && this.copyOf(found) });
      return found;
    };
    view.list = <U extends KubeObject>(type: string, namespace?: string) => {
      const found = real.list<U>(type, namespace);
      dependencies.push({ kind: 'list', type, namespace, copies: found.map((o) => this.copyOf(o)) });
      return found;
    };
    view.withLabel = <U extends KubeObject>(type: string, namespace: string, label: string, value: string) => {
      const found = real.withLabel<U>(type, namespace, label, value);
      dependencies.push({ kind: 'label', type, namespace, label, value, copies: found.map((o) => this.copyOf(o)) });
      return found;
    };
    Object.defineProperty(view, 'duplicates', {
      get: () => {
        dependencies.push({ kind: 'duplicates', content: this.duplicatesContent() });
        return real.duplicates;
      },
    });
    const ctx: TranslateContext = {
      ...this.ctx,
      resources: view,
      resolve: <S>(token: InjectionToken<S>, fallback: () => S): S => {
        if (!this.container.isRegistered(token, true)) {
          dependencies.push({ kind: 'source', token, registered: false });
          return fallback();
        }
        const value = this.container.resolve(token);
        const version = sourceVersion(value);
        if (version === undefined) cacheable = false;
        else dependencies.push({ kind: 'source', token, registered: true, value, version });
        return value;
      },
    };
    const value = compute(ctx);
    // What was read but cannot be compared later makes the result one-off.
    const opaque = dependencies.some((d) =>
      d.kind === 'get' ? d.copy?.data === OPAQUE : (d.kind === 'list' || d.kind === 'label') && d.copies.some((c) => c.data === OPAQUE),
    );
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
        return found === undefined || dependency.copy === undefined ? found === dependency.copy : dependency.copy.matches(found, this.id);
      }
      case 'list':
        return this.allMatch(real.list(dependency.type, dependency.namespace), dependency.copies);
      case 'label':
        return this.allMatch(real.withLabel(dependency.type, dependency.namespace, dependency.label, dependency.value), dependency.copies);
      case 'duplicates':
        return this.duplicatesContent() === dependency.content;
      case 'source': {
        const provided = this.provided(dependency.token);
        if (!dependency.registered || !provided.registered) return dependency.registered === provided.registered;
        return provided.value === dependency.value && sourceVersion(provided.value) === dependency.version;
      }
    }
  }

  private duplicates?: string;

  /** The duplicated keys of this translation, as one string. */
  private duplicatesContent(): string {
    return (this.duplicates ??= [...this.resources.duplicates].sort().join('\n'));
  }

  /** What the container holds for a token, looked up once per translation (for checking, not for plugins). */
  private provided(token: InjectionToken<unknown>): { registered: boolean; value?: unknown } {
    let found = this.tokens.get(token);
    if (!found) {
      found = this.container.isRegistered(token, true) ? { registered: true, value: this.container.resolve(token) } : { registered: false };
      this.tokens.set(token, found);
    }
    return found;
  }

  private allMatch(objects: readonly object[], copies: readonly Copy[]): boolean {
    if (objects.length !== copies.length) return false;
    for (let i = 0; i < objects.length; i++) if (!copies[i]!.matches(objects[i]!, this.id)) return false;
    return true;
  }

  /** The snapshot of an object read in this translation, shared by every step that read it. */
  private copyOf(object: object): Copy {
    let copy = this.copies.get(object);
    if (!copy) {
      copy = new Copy(snapshot(object));
      this.copies.set(object, copy);
    }
    return copy;
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  if (value === snap) return true;
  // Different leaves (NaN included: it is never the same), or OPAQUE (a symbol).
  if (typeof snap !== 'object' || snap === null || typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(snap)) {
    if (!Array.isArray(value) || value.length !== snap.length) return false;
    for (let i = 0; i < snap.length; i++) if (!sameData(value[i], snap[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(value) || !isPlain(value)) return false;
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
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
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
