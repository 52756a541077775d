import type { InjectionToken } from 'tsyringe';
import type { MemoRun, Provided, Step, TranslationHost, TranslationMemo } from './memo';
import type { ExtraCluster, TranslateContext } from './plugin';
import { compareStrings, keyOf, ResourceIndex, type IndexOrders, type KubeObject, type ResourceReader } from './resources';
import type { BackendOutcome, StatusesOutcome, StepOutcome } from './result';
import { Copy, fingerprint, OPAQUE, sameData, type Snapshot } from './snapshot';
import { sourceVersion } from './versioned-source';

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
  /** For Backends: the copy of the Backend itself. */
  copy?: Copy;
  /** For extra clusters: the fragment object itself, which a reused `clusters` hook hands back unchanged. */
  fragment?: object;
  /** For extra clusters: the object the cluster stands for. */
  resource?: Copy;
  dependencies: readonly Dependency[];
  value: T;
}

interface Stores {
  backends: Map<string, Entry<BackendOutcome>>;
  hooks: Map<string, Entry<readonly ExtraCluster[]>>;
  extras: Map<string, Entry<StepOutcome>>;
  statuses: Map<string, Entry<StatusesOutcome>>;
  /** For each sorted list of the result: the names in the order they came, and the sorting permutation. */
  orders: Map<string, { names: string[]; order: number[] }>;
}

const emptyStores = (): Stores => ({ backends: new Map(), hooks: new Map(), extras: new Map(), statuses: new Map(), orders: new Map() });

/** A computed value and what computing it read. */
interface Recorded<T> {
  value: T;
  dependencies: readonly Dependency[];
  /** False when something read cannot be compared later (an unversioned source, opaque data). */
  cacheable: boolean;
}

/**
 * The memo of an incremental translator: the results of earlier translations, for a translator
 * called again with mostly the same objects (docs/performance.md). A step (one Backend, one plugin's
 * `clusters` hook, one extra cluster) is reused when its own input has the same content as before
 * and everything it read through `ctx.resources`, `ctx.shared` or an injected source is unchanged.
 * Content is compared as data, field by field in order, against a copy taken when the step ran: a new
 * object with the same content is a hit, an object changed in place is a miss. Only the results used
 * by the latest translation are kept.
 */
export class CachingMemo implements TranslationMemo {
  private stores: Stores = emptyStores();
  private runs = 0;
  /** For the ResourceIndex of the next translation: how objects arrived and sorted last time. */
  private readonly indexOrders: IndexOrders = new Map();

  begin(objects: readonly KubeObject[], host: TranslationHost): MemoRun {
    const resources = new ResourceIndex(objects, this.indexOrders);
    return new CachingRun(resources, host, this.stores, this.runs++, (used) => (this.stores = used));
  }
}

/** One translation: answers from the cache where it can, records what it computes. */
class CachingRun implements MemoRun {
  readonly ctx: TranslateContext;
  private readonly used: Stores = emptyStores();
  /** Snapshots taken in this translation, one per object read. */
  private readonly copies = new Map<object, Copy>();
  private readonly tokens = new Map<InjectionToken<unknown>, Provided<unknown>>();
  private readonly sharedValues = new Map<string, Recorded<unknown>>();
  private duplicates?: string;

  constructor(
    readonly resources: ResourceIndex,
    private readonly host: TranslationHost,
    private readonly previous: Stores,
    /** Tells this translation's comparisons from earlier ones' (see `Copy`). */
    readonly id: number,
    private readonly onEnd: (used: Stores) => void,
  ) {
    this.ctx = {
      resources,
      options: host.options,
      resolve: <T>(token: InjectionToken<T>, fallback: () => T): T => {
        const provided = this.provided(token);
        return provided.registered ? provided.value : fallback();
      },
      shared: (key, compute) => this.shared(key, compute),
    };
  }

  backend(backend: KubeObject, compute: Step<BackendOutcome>): BackendOutcome {
    const id = keyOf(backend.kind, backend.metadata.namespace, backend.metadata.name);
    const entry = this.previous.backends.get(id);
    if (entry && entry.copy!.matches(backend, this.id) && this.unchanged(entry.dependencies)) {
      this.used.backends.set(id, entry);
      return entry.value;
    }
    const recorded = this.record(compute);
    const copy = this.copyOf(backend);
    if (recorded.cacheable && copy.data !== OPAQUE && outcomeCacheable(recorded.value)) {
      this.used.backends.set(id, { input: null, copy, dependencies: recorded.dependencies, value: recorded.value });
    }
    return recorded.value;
  }

  extraClusters(plugin: string, compute: Step<readonly ExtraCluster[]>): readonly ExtraCluster[] {
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

  extraCluster(plugin: string, extra: ExtraCluster, compute: Step<StepOutcome>): StepOutcome {
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
    const recorded = this.record(compute);
    const input = this.extraInput(extra);
    if (recorded.cacheable && input !== OPAQUE && outcomeCacheable(recorded.value)) {
      const resource = this.copyOf(extra.resource);
      this.used.extras.set(id, { input, fragment: extra.fragment, resource, dependencies: recorded.dependencies, value: recorded.value });
    }
    return recorded.value;
  }

  statuses(plugin: string, compute: Step<StatusesOutcome>): StatusesOutcome {
    const entry = this.previous.statuses.get(plugin);
    if (entry && this.unchanged(entry.dependencies)) {
      this.used.statuses.set(plugin, entry);
      return entry.value;
    }
    const recorded = this.record(compute);
    if (recorded.cacheable && recorded.value.diagnostics.every((d) => d.source === undefined)) {
      this.used.statuses.set(plugin, { input: null, dependencies: recorded.dependencies, value: recorded.value });
    }
    return recorded.value;
  }

  /**
   * Sorted like `Array.prototype.sort` with `compareStrings` (stable). When the names come in the
   * same order as last time, last time's order is applied without comparing them again.
   */
  sorted<T>(list: string, items: T[], nameOf: (item: T) => string): T[] {
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

  end(): void {
    this.onEnd(this.used);
  }

  /**
   * A value shared by the hooks of this translation; what computing it read is added to `into`,
   * the recorder of the step that asked, so that step depends on it as if it had read it itself.
   */
  shared<T>(key: string, compute: Step<T>, into?: Recorder): T {
    let found = this.sharedValues.get(key);
    if (!found) {
      found = this.record(compute);
      this.sharedValues.set(key, found);
    }
    into?.absorb(found);
    return found.value as T;
  }

  /** What the container holds for a token, looked up once per translation. */
  provided<T>(token: InjectionToken<T>): Provided<T> {
    let found = this.tokens.get(token);
    if (!found) {
      found = this.host.lookup(token);
      this.tokens.set(token, found);
    }
    return found as Provided<T>;
  }

  /** The duplicated keys of this translation, as one string. */
  duplicatesContent(): string {
    return (this.duplicates ??= [...this.resources.duplicates].sort().join('\n'));
  }

  /** The snapshot of an object read in this translation, shared by every step that read it. */
  copyOf(object: object): Copy {
    let copy = this.copies.get(object);
    if (!copy) {
      copy = Copy.of(object);
      this.copies.set(object, copy);
    }
    return copy;
  }

  /** Runs `compute` with a context whose reads are written down. */
  private record<T>(compute: Step<T>): Recorded<T> {
    const recorder = new Recorder(this);
    const ctx: TranslateContext = {
      resources: recorder,
      options: this.host.options,
      resolve: (token, fallback) => recorder.resolve(token, fallback),
      shared: (key, shared) => this.shared(key, shared, recorder),
    };
    const value = compute(ctx);
    return { value, dependencies: recorder.dependencies, cacheable: recorder.cacheable };
  }

  private extraInput(extra: ExtraCluster): Snapshot {
    const resource = this.copyOf(extra.resource).data;
    const fragment = fingerprint(extra.fragment);
    return resource === OPAQUE || fragment === OPAQUE ? OPAQUE : { resource, fragment };
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

  private allMatch(objects: readonly object[], copies: readonly Copy[]): boolean {
    if (objects.length !== copies.length) return false;
    for (let i = 0; i < objects.length; i++) if (!copies[i]!.matches(objects[i]!, this.id)) return false;
    return true;
  }
}

/**
 * The `ctx.resources` of a step being computed: every read answers from the translation's index and
 * is written down. It implements `ResourceReader`, so a read method added there does not compile
 * until it is recorded here.
 */
class Recorder implements ResourceReader {
  readonly dependencies: Dependency[] = [];
  cacheable = true;

  constructor(private readonly run: CachingRun) {}

  get<T extends KubeObject = KubeObject>(type: string, namespace: string, name: string): T | undefined {
    const found = this.run.resources.get<T>(type, namespace, name);
    const copy = found && this.copy(found);
    this.dependencies.push({ kind: 'get', type, namespace, name, copy });
    return found;
  }

  list<T extends KubeObject = KubeObject>(type: string, namespace?: string): T[] {
    const found = this.run.resources.list<T>(type, namespace);
    this.dependencies.push({ kind: 'list', type, namespace, copies: found.map((o) => this.copy(o)) });
    return found;
  }

  withLabel<T extends KubeObject = KubeObject>(type: string, namespace: string, label: string, value: string): T[] {
    const found = this.run.resources.withLabel<T>(type, namespace, label, value);
    this.dependencies.push({ kind: 'label', type, namespace, label, value, copies: found.map((o) => this.copy(o)) });
    return found;
  }

  get duplicates(): ReadonlySet<string> {
    this.dependencies.push({ kind: 'duplicates', content: this.run.duplicatesContent() });
    return this.run.resources.duplicates;
  }

  /** `ctx.resolve`: a source without a `cacheVersion` makes the step one-off. */
  resolve<T>(token: InjectionToken<T>, fallback: () => T): T {
    const provided = this.run.provided(token);
    if (!provided.registered) {
      this.dependencies.push({ kind: 'source', token, registered: false });
      return fallback();
    }
    const version = sourceVersion(provided.value);
    if (version === undefined) this.cacheable = false;
    else this.dependencies.push({ kind: 'source', token, registered: true, value: provided.value, version });
    return provided.value;
  }

  /** Makes what another computation read part of this step's reads. */
  absorb(other: Recorded<unknown>): void {
    for (const dependency of other.dependencies) this.dependencies.push(dependency);
    if (!other.cacheable) this.cacheable = false;
  }

  /** What was read but cannot be compared later makes the result one-off. */
  private copy(object: object): Copy {
    const copy = this.run.copyOf(object);
    if (copy.data === OPAQUE) this.cacheable = false;
    return copy;
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Diagnostics that a plugin located itself (`source` with a line) may point at lines that moved
 * while the content stayed the same; such results are recomputed rather than reused.
 */
function outcomeCacheable(outcome: StepOutcome): boolean {
  return outcome.diagnostics.every((d) => d.source === undefined);
}

function fragmentCacheable(fragment: ExtraCluster['fragment']): boolean {
  return (fragment.diagnostics ?? []).every((d) => d.source === undefined);
}
