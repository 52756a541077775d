import type { InjectionToken } from 'tsyringe';
import type { Screened } from './envelope';
import { IncrementalScreen, type InputDelta } from './input-delta';
import type { MemoRun, Provided, Step, TranslationHost, TranslationMemo } from './memo';
import type { ExtraCluster, TranslateContext } from './plugin';
import { compareStrings, keyOf, ResourceIndex, type IndexOrders, type KubeObject, type ResourceReader } from './resources';
import type { BackendOutcome, StatusesOutcome, StepOutcome } from './result';
import { contentKey, fingerprint, isData, OPAQUE, type ContentKey } from './snapshot';
import { sourceVersion } from './versioned-source';

/**
 * One thing a translation step read, and how to tell whether it is still the same: the content key
 * of each object read (`key` undefined: nothing was found).
 */
type Dependency =
  | { kind: 'get'; type: string; namespace: string; name: string; key: ContentKey | undefined }
  | { kind: 'list'; type: string; namespace: string | undefined; keys: ContentKey[] }
  | { kind: 'label'; type: string; namespace: string; label: string; value: string; keys: ContentKey[] }
  | { kind: 'duplicates'; content: string }
  /**
   * What computing one `ctx.shared` value read, as one read: a step that asks for the value depends
   * on all of it, and shares the list with every other step that asks (docs/performance.md, "The
   * screen and the memo's reads on a first translation (2026-12-02, input)").
   */
  | { kind: 'shared'; reads: readonly Dependency[] }
  | { kind: 'source'; token: InjectionToken<unknown>; registered: false }
  | { kind: 'source'; token: InjectionToken<unknown>; registered: true; value: unknown; version: string | number };

interface Entry<T> {
  /** For Backends: the content key of the Backend itself. */
  key?: ContentKey;
  /** For extra clusters: the fragment object itself, which a reused `clusters` hook hands back unchanged. */
  fragment?: object;
  /** For extra clusters: the content key of the object the cluster stands for. */
  resource?: ContentKey;
  dependencies: readonly Dependency[];
  value: T;
}

/**
 * Entries under two strings: a Backend's namespace and name, a plugin's name and an extra cluster's
 * name (or '' for a plugin's hooks). Nested maps keyed by strings the step already has, so that a
 * first translation joins no key text per entry; the reverse index, which wants one string per
 * entry, joins them when a delta first needs it (docs/performance.md, "The memo's own objects on a
 * first translation").
 */
class Pairs<T> {
  private readonly byFirst = new Map<string, Map<string, T>>();

  get(first: string, second: string): T | undefined {
    return this.byFirst.get(first)?.get(second);
  }

  set(first: string, second: string, value: T): void {
    let inner = this.byFirst.get(first);
    if (!inner) this.byFirst.set(first, (inner = new Map()));
    inner.set(second, value);
  }

  delete(first: string, second: string): void {
    this.byFirst.get(first)?.delete(second);
  }

  *[Symbol.iterator](): IterableIterator<[string, string, T]> {
    for (const [first, inner] of this.byFirst) for (const [second, value] of inner) yield [first, second, value];
  }
}

interface Stores {
  /** By namespace and name. */
  backends: Pairs<Entry<BackendOutcome>>;
  /** By plugin, and ''. */
  hooks: Pairs<Entry<readonly ExtraCluster[]>>;
  /** By plugin and cluster name. */
  extras: Pairs<Entry<StepOutcome>>;
  /** By plugin, and ''. */
  statuses: Pairs<Entry<StatusesOutcome>>;
  /** For each sorted list of the result: the names in the order they came, and the sorting permutation. */
  orders: Map<string, { names: string[]; order: number[] }>;
}

type Store = 'backends' | 'hooks' | 'extras' | 'statuses';

const emptyStores = (): Stores => ({ backends: new Pairs(), hooks: new Pairs(), extras: new Pairs(), statuses: new Pairs(), orders: new Map() });

/** The reverse index's id of an entry: its store's prefix and one string. */
function entryId(store: Store, first: string, second: string): string {
  switch (store) {
    case 'backends':
      return BACKEND + keyOf('Backend', first, second);
    case 'hooks':
      return HOOK + first;
    case 'extras':
      return EXTRA + `${first}\0${second}`;
    case 'statuses':
      return STATUSES + first;
  }
}

/** A computed value and what computing it read. */
interface Recorded<T> {
  value: T;
  dependencies: readonly Dependency[];
  /** False when something read cannot be compared later (an unversioned source, opaque data). */
  cacheable: boolean;
  /** For a shared value: its reads as one (`shared`), which the steps that ask for it record; null when it read nothing. */
  read?: Dependency | null;
}

/**
 * The memo of an incremental translator: the results of earlier translations, for a translator
 * called again with mostly the same objects (docs/performance.md). A step (one Backend, one plugin's
 * `clusters` hook, one extra cluster) is reused when its own input has the same content as before
 * and everything it read through `ctx.resources`, `ctx.shared` or an injected source is unchanged.
 * Content is compared as a version stamp or a fingerprint taken when the step ran: a new object with
 * the same content is a hit, an object changed in place is a miss. Only the results used by the
 * latest translation are kept.
 *
 * When the screen gives a delta (objects with resourceVersions, few positions changed), nothing is
 * compared but what the delta names: the index is patched, the entries that read a changed key are
 * found through a reverse index (`Readers`) and checked, every other entry is reused as it is, and
 * `run.changed` tells the translator which Backends to visit.
 */
export class CachingMemo implements TranslationMemo {
  private stores: Stores = emptyStores();
  /** For the ResourceIndex of the next translation: how objects arrived and sorted last time. */
  private readonly indexOrders: IndexOrders = new Map();
  private readonly screen = new IncrementalScreen();
  /** The last translation's index, patched by the next one when the screen gives a delta. */
  private index: ResourceIndex | undefined;
  /** Which entries read what (docs/performance.md, "Re-translation driven by what changed"). */
  readonly readers = new Readers();
  /** Backends whose outcome could not be kept: computed on every translation. */
  readonly uncachedBackends = new Set<string>();
  /** False when a `clusters` hook or an extra cluster could not be kept: the next call checks them all. */
  private extrasKept = false;
  /** True between a translation's end and the next begin: the stores match `index`. */
  private settled = false;
  /** The reverse index is built when a delta first needs it, not by every translation without one. */
  private readersStale = true;

  begin(input: readonly unknown[], host: TranslationHost): MemoRun {
    const { screened, delta } = this.screen.screen(input);
    const settled = this.settled;
    this.settled = false;
    let changes: Changes | undefined;
    if (delta && settled && this.index) {
      this.index.patch(delta.removed, delta.added);
      if (this.readersStale) this.readers.rebuild(this.stores);
      this.readersStale = false;
      changes = this.changes(delta, host);
    } else {
      this.index = new ResourceIndex(screened.objects, this.indexOrders);
    }
    const end = (used: Stores, extrasKept: boolean, sources: Map<InjectionToken<unknown>, Provided<unknown>>) => {
      if (!changes) {
        this.stores = used;
        this.readersStale = true;
        this.uncachedBackends.clear();
        for (const key of run.uncached) this.uncachedBackends.add(key);
      }
      this.extrasKept = extrasKept;
      // Only a delta patches the index: without one next time (the screen did not remember this
      // input), the index need not outlive the translation.
      if (!this.screen.remembers) this.index = undefined;
      this.readers.remember(sources);
      this.settled = true;
    };
    const run: CachingRun = new CachingRun(this.index, screened, host, this.stores, changes, this.screen.remembers, this, end);
    return run;
  }

  /**
   * What a delta changes: the entries that read a changed key or a source whose version moved get
   * their reads checked; every other entry is reused unchecked. Undefined when a `clusters` hook or
   * an extra cluster has to be checked: the run then checks every entry, as without a delta.
   */
  private changes(delta: InputDelta, host: TranslationHost): Changes | undefined {
    const dirty = new Set<string>();
    const backends = new Set<string>(this.uncachedBackends);
    for (const object of [...delta.removed, ...delta.added]) {
      const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name);
      if (object.kind === 'Backend') backends.add(key);
      this.readers.dirty(key, dirty);
      this.readers.dirty(listKey(object.kind), dirty);
      const labels = object.metadata.labels;
      if (labels) for (const label in labels) this.readers.dirty(labelKey(object.kind, object.metadata.namespace, label, String(labels[label])), dirty);
    }
    this.readers.dirtySources(host, dirty);
    if (!this.extrasKept) return undefined;
    for (const id of dirty) {
      if (id.startsWith(HOOK) || id.startsWith(EXTRA)) return undefined;
      if (id.startsWith(BACKEND)) backends.add(id.slice(BACKEND.length));
    }
    // A Backend that is gone takes its entry with it.
    const present = new Set(delta.added.map((o) => keyOf(o.kind, o.metadata.namespace, o.metadata.name)));
    for (const object of delta.removed) {
      const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name);
      if (object.kind !== 'Backend' || present.has(key)) continue;
      const entry = this.stores.backends.get(object.metadata.namespace, object.metadata.name);
      if (entry) this.readers.unregister(BACKEND + key, entry.dependencies);
      this.stores.backends.delete(object.metadata.namespace, object.metadata.name);
      this.uncachedBackends.delete(key);
    }
    return { dirty, backends };
  }
}

/** What a translation with a delta revisits. */
interface Changes {
  /** Entry ids (`BACKEND`, `STATUSES` + id) whose reads changed: checked, not reused blindly. */
  dirty: Set<string>;
  /** Keys of the Backends to visit: changed, added, removed, dirty or never kept. */
  backends: Set<string>;
}

const BACKEND = 'b:';
const HOOK = 'h:';
const EXTRA = 'x:';
const STATUSES = 's:';
const DUPLICATES = '\0duplicates';
const listKey = (kind: string) => `\0list\0${kind}`;
const labelKey = (kind: string, namespace: string, label: string, value: string) => `\0label\0${kind}\0${namespace}\0${label}\0${value}`;

/** The keys a dependency reads: a changed object whose keys these are may change what the step gets. */
function readKeys(dependency: Dependency): string | undefined {
  switch (dependency.kind) {
    case 'get':
      return keyOf(dependency.type, dependency.namespace, dependency.name);
    case 'list':
      return listKey(dependency.type);
    case 'label':
      return labelKey(dependency.type, dependency.namespace, dependency.label, dependency.value);
    case 'duplicates':
      return DUPLICATES;
    case 'source':
    case 'shared':
      return undefined;
  }
}

/** The reverse index of the stores: from a read key (or an injected source's token) to the ids of the entries that read it. */
class Readers {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly byToken = new Map<InjectionToken<unknown>, Set<string>>();
  /** What each token answered at the end of the last translation. */
  private readonly sources = new Map<InjectionToken<unknown>, { registered: boolean; value?: unknown; version?: string | number }>();

  register(id: string, dependencies: readonly Dependency[]): void {
    for (const dependency of dependencies) {
      const key = readKeys(dependency);
      if (key !== undefined) add(this.byKey, key, id);
      else if (dependency.kind === 'source') add(this.byToken, dependency.token, id);
      else if (dependency.kind === 'shared') this.register(id, dependency.reads);
    }
  }

  unregister(id: string, dependencies: readonly Dependency[]): void {
    for (const dependency of dependencies) {
      const key = readKeys(dependency);
      if (key !== undefined) this.byKey.get(key)?.delete(id);
      else if (dependency.kind === 'source') this.byToken.get(dependency.token)?.delete(id);
      else if (dependency.kind === 'shared') this.unregister(id, dependency.reads);
    }
  }

  rebuild(stores: Stores): void {
    this.byKey.clear();
    this.byToken.clear();
    for (const store of ['backends', 'hooks', 'extras', 'statuses'] as const) {
      for (const [first, second, entry] of stores[store]) this.register(entryId(store, first, second), entry.dependencies);
    }
  }

  dirty(key: string, into: Set<string>): void {
    const ids = this.byKey.get(key);
    if (ids) for (const id of ids) into.add(id);
  }

  /** The tokens whose answer, or its version, is not what it was: their readers are dirty. */
  dirtySources(host: TranslationHost, into: Set<string>): void {
    for (const [token, ids] of this.byToken) {
      if (ids.size === 0) continue;
      const was = this.sources.get(token);
      const now = host.lookup(token);
      const same =
        was !== undefined && was.registered === now.registered && (!now.registered || (now.value === was.value && sourceVersion(now.value) === was.version));
      if (!same) for (const id of ids) into.add(id);
    }
  }

  /** What the tokens read in a translation answered, for the next one's comparison. */
  remember(sources: Map<InjectionToken<unknown>, Provided<unknown>>): void {
    for (const [token, provided] of sources) {
      this.sources.set(
        token,
        provided.registered ? { registered: true, value: provided.value, version: sourceVersion(provided.value) } : { registered: false },
      );
    }
  }
}

function add<K>(map: Map<K, Set<string>>, key: K, id: string): void {
  const ids = map.get(key);
  if (ids) ids.add(id);
  else map.set(key, new Set([id]));
}

/** One translation: answers from the cache where it can, records what it computes. */
class CachingRun implements MemoRun {
  readonly ctx: TranslateContext;
  private readonly used: Stores;
  /** Content keys taken in this translation, one per object read or compared. */
  private readonly contents = new Map<object, ContentKey>();
  private readonly tokens = new Map<InjectionToken<unknown>, Provided<unknown>>();
  private readonly sharedValues = new Map<string, Recorded<unknown>>();
  private duplicates?: string;
  /**
   * The reads of the duplicates and of each token, one object each per translation, which every
   * step that reads them shares (docs/performance.md, "The memo's own objects on a first
   * translation"); `null`: the token's source has no `cacheVersion`.
   */
  private duplicatesRead?: Dependency;
  private readonly sourceReads = new Map<InjectionToken<unknown>, Dependency | null>();
  /** Lists of reads kept in this translation, by their first read, for `kept` to share. */
  private readonly keptLists = new Map<Dependency, (readonly Dependency[])[]>();
  /** Backends whose outcome was not kept (without a delta: this translation's). */
  readonly uncached = new Set<string>();
  private extrasKept = true;

  constructor(
    readonly resources: ResourceIndex,
    readonly screened: Screened,
    private readonly host: TranslationHost,
    private readonly previous: Stores,
    /** With a delta: what to revisit; the stores are then changed in place. */
    private readonly delta: Changes | undefined,
    readonly deltaNext: boolean,
    private readonly memo: CachingMemo,
    private readonly onEnd: (used: Stores, extrasKept: boolean, sources: Map<InjectionToken<unknown>, Provided<unknown>>) => void,
  ) {
    this.used = delta ? previous : emptyStores();
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

  get changed(): ReadonlySet<string> | undefined {
    return this.delta?.backends;
  }

  backend(backend: KubeObject, compute: Step<BackendOutcome>): BackendOutcome {
    const { namespace, name } = backend.metadata;
    const entry = this.previous.backends.get(namespace, name);
    // With a delta, a Backend's key is joined for the Backends that have an entry, not on a first translation.
    const id = this.delta && keyOf(backend.kind, namespace, name);
    if (entry && id && !this.delta!.backends.has(id)) return entry.value;
    if (entry && this.same(backend, entry.key!) && this.unchanged(entry.dependencies)) {
      if (!this.delta) this.used.backends.set(namespace, name, entry);
      return entry.value;
    }
    const recorded = this.record(compute);
    // Not put in the translation's map: a Backend is read by its own step, not by others (one
    // that does takes the key again, which costs time, not correctness).
    const key = this.contents.get(backend) ?? contentKey(backend, this.knownData(backend));
    const kept = recorded.cacheable && key !== OPAQUE && outcomeCacheable(recorded.value);
    this.keep('backends', namespace, name, kept ? { key, dependencies: recorded.dependencies, value: recorded.value } : undefined);
    if (kept) {
      if (id) this.memo.uncachedBackends.delete(id);
    } else if (id) this.memo.uncachedBackends.add(id);
    else this.uncached.add(keyOf(backend.kind, namespace, name));
    return recorded.value;
  }

  /** Stores an entry (or drops the old one); with a delta, in place, keeping the reverse index. */
  private keep(store: Store, first: string, second: string, entry: Entry<unknown> | undefined): void {
    const pairs = this.used[store] as Pairs<Entry<unknown>>;
    if (this.delta) {
      const id = entryId(store, first, second);
      const old = pairs.get(first, second);
      if (old) this.memo.readers.unregister(id, old.dependencies);
      if (entry) this.memo.readers.register(id, entry.dependencies);
      else pairs.delete(first, second);
    }
    if (entry) pairs.set(first, second, entry);
    else if (store === 'hooks' || store === 'extras') this.extrasKept = false;
  }

  extraClusters(plugin: string, compute: Step<readonly ExtraCluster[]>): readonly ExtraCluster[] {
    const entry = this.previous.hooks.get(plugin, '');
    if (entry && (this.delta !== undefined || this.unchanged(entry.dependencies))) {
      this.used.hooks.set(plugin, '', entry);
      // Reused clusters point at this translation's objects (same content), for the lines that
      // messages give; objects built in code have no lines, and need not be looked up.
      return entry.value.map((extra) => {
        if (extra.resource.source === undefined) return extra;
        const { kind, metadata } = extra.resource;
        const current = this.resources.get(kind, metadata.namespace, metadata.name);
        return current && current !== extra.resource && this.same(current, this.contentOf(extra.resource)) ? { ...extra, resource: current } : extra;
      });
    }
    const recorded = this.record(compute);
    const kept = recorded.cacheable && recorded.value.every((e) => fragmentCacheable(e.fragment));
    this.keep('hooks', plugin, '', kept ? { dependencies: recorded.dependencies, value: recorded.value } : undefined);
    return recorded.value;
  }

  extraCluster(plugin: string, extra: ExtraCluster, compute: Step<StepOutcome>): StepOutcome {
    const entry = this.previous.extras.get(plugin, extra.clusterName);
    // A reused hook hands back the very fragment composed before; otherwise compare the data.
    if (
      entry &&
      (this.delta !== undefined || this.unchanged(entry.dependencies)) &&
      this.same(extra.resource, entry.resource!) &&
      (entry.fragment === extra.fragment || sameFragment(extra.fragment, entry.fragment!))
    ) {
      this.used.extras.set(plugin, extra.clusterName, entry);
      return entry.value;
    }
    const recorded = this.record(compute);
    const resource = this.contentOf(extra.resource);
    // The fragment itself is kept (the reused hook's value holds it anyway), not a fingerprint of it:
    // fragments are the memo's, nothing changes them once composed.
    const kept = recorded.cacheable && resource !== OPAQUE && isData(extra.fragment) && outcomeCacheable(recorded.value);
    this.keep(
      'extras',
      plugin,
      extra.clusterName,
      kept ? { fragment: extra.fragment, resource, dependencies: recorded.dependencies, value: recorded.value } : undefined,
    );
    return recorded.value;
  }

  statuses(plugin: string, compute: Step<StatusesOutcome>): StatusesOutcome {
    const entry = this.previous.statuses.get(plugin, '');
    if (entry && ((this.delta !== undefined && !this.delta.dirty.has(STATUSES + plugin)) || this.unchanged(entry.dependencies))) {
      this.used.statuses.set(plugin, '', entry);
      return entry.value;
    }
    const recorded = this.record(compute);
    const kept = recorded.cacheable && recorded.value.diagnostics.every((d) => d.source === undefined);
    this.keep('statuses', plugin, '', kept ? { dependencies: recorded.dependencies, value: recorded.value } : undefined);
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
    this.onEnd(this.used, this.extrasKept, this.tokens);
  }

  /**
   * A value shared by the hooks of this translation; what computing it read is added to `into`,
   * the recorder of the step that asked, so that step depends on it as if it had read it itself.
   */
  shared<T>(key: string, compute: Step<T>, into?: Recorder): T {
    let found = this.sharedValues.get(key);
    if (!found) {
      found = this.record(compute);
      found.read = found.dependencies.length === 0 ? null : { kind: 'shared', reads: found.dependencies };
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

  /** The read of the duplicates, as a step records it. */
  readDuplicates(): Dependency {
    return (this.duplicatesRead ??= { kind: 'duplicates', content: this.duplicatesContent() });
  }

  /** The read of a token, as a step records it; null when the answer has no `cacheVersion` (the step is then one-off). */
  readSource(token: InjectionToken<unknown>): Dependency | null {
    let read = this.sourceReads.get(token);
    if (read === undefined) {
      const provided = this.provided(token);
      const version = provided.registered ? sourceVersion(provided.value) : undefined;
      read = !provided.registered
        ? { kind: 'source', token, registered: false }
        : version === undefined
          ? null
          : { kind: 'source', token, registered: true, value: provided.value, version };
      this.sourceReads.set(token, read);
    }
    return read;
  }

  /**
   * The content key of an object in this translation, taken once however many steps read it or
   * compare it: nothing changes an object during a translation.
   */
  contentOf(object: object): ContentKey {
    let key = this.contents.get(object);
    if (key === undefined) {
      key = contentKey(object, this.knownData(object));
      this.contents.set(object, key);
    }
    return key;
  }

  /** Whether the screen of this translation found the object to be JSON data (`Screened.jsonData`). */
  private knownData(object: object): boolean {
    return this.screened.jsonData?.has(object) === true;
  }

  /** Whether an object holds what a step read, `key` (OPAQUE is never the same as anything). */
  private same(object: object, key: ContentKey): boolean {
    return key !== OPAQUE && this.contentOf(object) === key;
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
    return { value, dependencies: this.kept(recorder.dependencies), cacheable: recorder.cacheable, read: undefined };
  }

  /**
   * The reads a step keeps: a list kept before that holds the very same reads (the Backends of one
   * namespace that read only its policies share one), else a copy of exactly their length, since an
   * array grown by `push` keeps room for more (docs/performance.md, "What the first translation
   * keeps", "The memo's own objects on a first translation"). Kept lists are never changed.
   */
  private kept(dependencies: Dependency[]): readonly Dependency[] {
    if (dependencies.length === 0) return NO_READS;
    if (dependencies.length > MAX_SHARED_READS) return dependencies.slice();
    const first = dependencies[0]!;
    const candidates = this.keptLists.get(first);
    if (candidates) {
      for (const list of candidates) if (sameReads(list, dependencies)) return list;
    }
    const copy = dependencies.slice();
    if (!candidates) this.keptLists.set(first, [copy]);
    else if (candidates.length < MAX_SHARED_READS) candidates.push(copy);
    return copy;
  }

  /** The shared values' reads checked in this translation, each once however many steps read the value. */
  private readonly sharedChecked = new Map<Dependency, boolean>();

  private unchanged(dependencies: readonly Dependency[]): boolean {
    for (const dependency of dependencies) if (!this.still(dependency)) return false;
    return true;
  }

  private still(dependency: Dependency): boolean {
    const real = this.resources;
    switch (dependency.kind) {
      case 'get': {
        const found = real.get(dependency.type, dependency.namespace, dependency.name);
        return found === undefined || dependency.key === undefined ? found === dependency.key : this.same(found, dependency.key);
      }
      case 'list':
        return this.allMatch(real.list(dependency.type, dependency.namespace), dependency.keys);
      case 'label':
        return this.allMatch(real.withLabel(dependency.type, dependency.namespace, dependency.label, dependency.value), dependency.keys);
      case 'duplicates':
        return this.duplicatesContent() === dependency.content;
      case 'shared': {
        let still = this.sharedChecked.get(dependency);
        if (still === undefined) {
          still = this.unchanged(dependency.reads);
          this.sharedChecked.set(dependency, still);
        }
        return still;
      }
      case 'source': {
        const provided = this.provided(dependency.token);
        if (!dependency.registered || !provided.registered) return dependency.registered === provided.registered;
        return provided.value === dependency.value && sourceVersion(provided.value) === dependency.version;
      }
    }
  }

  private allMatch(objects: readonly object[], keys: readonly ContentKey[]): boolean {
    if (objects.length !== keys.length) return false;
    for (let i = 0; i < objects.length; i++) if (!this.same(objects[i]!, keys[i]!)) return false;
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
    const key = found && this.key(found);
    this.dependencies.push({ kind: 'get', type, namespace, name, key });
    return found;
  }

  list<T extends KubeObject = KubeObject>(type: string, namespace?: string): T[] {
    const found = this.run.resources.list<T>(type, namespace);
    this.dependencies.push({ kind: 'list', type, namespace, keys: this.keys(found) });
    return found;
  }

  withLabel<T extends KubeObject = KubeObject>(type: string, namespace: string, label: string, value: string): T[] {
    const found = this.run.resources.withLabel<T>(type, namespace, label, value);
    this.dependencies.push({ kind: 'label', type, namespace, label, value, keys: this.keys(found) });
    return found;
  }

  get duplicates(): ReadonlySet<string> {
    this.dependencies.push(this.run.readDuplicates());
    return this.run.resources.duplicates;
  }

  /** `ctx.resolve`: a source without a `cacheVersion` makes the step one-off. */
  resolve<T>(token: InjectionToken<T>, fallback: () => T): T {
    const read = this.run.readSource(token);
    if (read === null) this.cacheable = false;
    else this.dependencies.push(read);
    const provided = this.run.provided(token);
    return provided.registered ? provided.value : fallback();
  }

  /** Makes what a shared value's computation read part of this step's reads (one read for all of it). */
  absorb(other: Recorded<unknown>): void {
    if (other.read) this.dependencies.push(other.read);
    if (!other.cacheable) this.cacheable = false;
  }

  /** What was read but cannot be compared later makes the result one-off. */
  private key(object: object): ContentKey {
    const key = this.run.contentOf(object);
    if (key === OPAQUE) this.cacheable = false;
    return key;
  }

  private keys(objects: readonly object[]): ContentKey[] {
    const keys = new Array<ContentKey>(objects.length);
    for (let i = 0; i < objects.length; i++) keys[i] = this.key(objects[i]!);
    return keys;
  }
}

/** Whether a hook's new fragment holds the same data as the one composed last time. */
function sameFragment(fragment: object, kept: object): boolean {
  const now = fingerprint(fragment);
  return now !== OPAQUE && now === fingerprint(kept);
}

/** Lists of reads longer than this are not shared, nor more than this many kept per first read. */
const MAX_SHARED_READS = 4;
const NO_READS: readonly Dependency[] = Object.freeze([]);

function sameReads(a: readonly Dependency[], b: readonly Dependency[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
