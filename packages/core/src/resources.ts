import type { ResourceRef, SourceLocation } from './diagnostics';

export interface ObjectMeta {
  name: string;
  /** Defaults to `default` when the input leaves it out. */
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * A Kubernetes-style object as loaded. Only the envelope is checked by the loader; the plugin that
 * reads a kind validates the rest of it with its own schema.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  /** Where it was read from; absent for objects built in code. */
  source?: SourceLocation;
  [key: string]: unknown;
}

export const BACKEND_API_VERSIONS = ['gateway.kgateway.dev/v1alpha1', 'gloo.solo.io/v1alpha1'] as const;
export const BACKEND_GROUPS = ['gateway.kgateway.dev', 'gloo.solo.io'] as const;

/** Object kinds and the apiVersions accepted for each: what the loader keeps (docs/plugins.md, "Kinds"). */
export type KindTable = Readonly<Record<string, readonly string[]>>;

/** The kinds core itself reads: Backends, the Secrets of `SECRET_SOURCE`, and routing's routes (`ROUTE_KINDS`) and ReferenceGrants. */
export const CORE_KINDS: KindTable = {
  Backend: BACKEND_API_VERSIONS,
  Secret: ['v1'],
  ReferenceGrant: ['gateway.networking.k8s.io/v1beta1', 'gateway.networking.k8s.io/v1'],
  HTTPRoute: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'],
  GRPCRoute: ['gateway.networking.k8s.io/v1'],
  TCPRoute: ['gateway.networking.k8s.io/v1alpha2'],
  TLSRoute: ['gateway.networking.k8s.io/v1alpha2'],
};

/** Core's kinds and those of `plugins` (`BackendPlugin.kinds`), apiVersions joined in order. */
export function acceptedKinds(plugins: ReadonlyArray<{ readonly kinds?: KindTable }>): KindTable {
  const table = new Map<string, string[]>();
  for (const kinds of [CORE_KINDS, ...plugins.map((p) => p.kinds ?? {})]) {
    for (const [kind, versions] of Object.entries(kinds)) {
      const known = table.get(kind) ?? [];
      for (const version of versions) if (!known.includes(version)) known.push(version);
      table.set(kind, known);
    }
  }
  return Object.fromEntries(table);
}

export function refOf(object: KubeObject): ResourceRef {
  return { kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
}

export function keyOf(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/**
 * An object's `metadata.resourceVersion` when it has one (a non-empty string), else undefined: an
 * object with one is keyed by it, never fingerprinted (docs/performance.md, "Incremental translation").
 */
export function versionOf(object: KubeObject): string | undefined {
  const version = object.metadata.resourceVersion;
  return typeof version === 'string' && version !== '' ? version : undefined;
}

/**
 * How each kind's objects arrived (their namespaces and names, position by position) and the order
 * that sorts them: see `ResourceIndex`.
 */
export type IndexOrders = Map<string, { namespaces: string[]; names: string[]; order: number[] }>;

/**
 * What a translation step may read of the objects given to a translation (`ctx.resources`). Both
 * `ResourceIndex` and the incremental memo's recorder implement it, so a read added here does not
 * compile until the recorder records it: an unrecorded read would let a reused result go stale
 * (docs/architecture.md, "The memo seam").
 */
export interface ResourceReader {
  /** The object of a kind with this namespace and name. */
  get<T extends KubeObject = KubeObject>(kind: string, namespace: string, name: string): T | undefined;
  /** Objects of a kind, sorted by namespace then name; optionally in one namespace. */
  list<T extends KubeObject = KubeObject>(kind: string, namespace?: string): T[];
  /** Objects of a kind in a namespace whose label `label` is `value`, sorted like `list`. */
  withLabel<T extends KubeObject = KubeObject>(kind: string, namespace: string, label: string, value: string): T[];
  /** Keys (`keyOf`) of objects defined twice (same kind, namespace and name). */
  readonly duplicates: ReadonlySet<string>;
}

/**
 * Read-only lookups over the objects given to a translation. Objects are found by kind, then
 * namespace, then name, each a map keyed by the object's own strings: a lookup joins no key text
 * (every `get` of every step used to build a `keyOf` string, and the index one per object;
 * docs/performance.md, "The screen, the index and the memo on a first translation").
 */
export class ResourceIndex implements ResourceReader {
  /** kind → namespace → name → object. */
  private readonly byName = new Map<string, Map<string, Map<string, KubeObject>>>();
  /** `keyOf` key → object, built when first asked (`byKeyOf`, on the re-translation path). */
  private byKey: Map<string, KubeObject> | undefined;
  private readonly byKind = new Map<string, KubeObject[]>();
  /** kind → label → namespace → label value → objects, for each label asked about (`withLabel`). */
  private readonly byLabel = new Map<string, Map<string, Map<string, Map<string, KubeObject[]>>>>();
  /** Objects defined twice (same kind, namespace and name). */
  readonly duplicates = new Set<string>();

  /**
   * `orders` (optional) remembers how each kind's objects arrived and how they sorted, between
   * indexes of successive translations: objects that arrive in the same order as last time are put
   * in last time's order without comparing them again.
   */
  constructor(objects: Iterable<KubeObject>, orders?: IndexOrders) {
    for (const object of objects) {
      const { kind, metadata } = object;
      const { namespace, name } = metadata;
      let spaces = this.byName.get(kind);
      if (!spaces) this.byName.set(kind, (spaces = new Map()));
      let names = spaces.get(namespace);
      if (!names) spaces.set(namespace, (names = new Map()));
      if (names.has(name)) {
        this.duplicates.add(keyOf(kind, namespace, name));
        continue;
      }
      names.set(name, object);
      const list = this.byKind.get(kind);
      if (list) list.push(object);
      else this.byKind.set(kind, [object]);
    }
    // One kind per list: namespace, then name.
    for (const [kind, list] of this.byKind) {
      if (!orders) {
        list.sort(compareNamespaced);
        continue;
      }
      const namespaces = list.map((o) => o.metadata.namespace);
      const names = list.map((o) => o.metadata.name);
      const known = orders.get(kind);
      let order: number[];
      if (known && sameStrings(known.namespaces, namespaces) && sameStrings(known.names, names)) {
        order = known.order;
      } else {
        order = list.map((_, i) => i);
        order.sort((a, b) => compareNamespaced(list[a]!, list[b]!) || a - b);
      }
      orders.set(kind, { namespaces, names, order });
      this.byKind.set(
        kind,
        order.map((i) => list[i]!),
      );
    }
  }

  get<T extends KubeObject = KubeObject>(kind: string, namespace: string, name: string): T | undefined {
    return this.byName.get(kind)?.get(namespace)?.get(name) as T | undefined;
  }

  /** The object with this `keyOf` key. */
  byKeyOf(key: string): KubeObject | undefined {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const list of this.byKind.values()) for (const o of list) this.byKey.set(keyOf(o.kind, o.metadata.namespace, o.metadata.name), o);
    }
    return this.byKey.get(key);
  }

  /**
   * This index changed in place to hold `added` instead of `removed` (keys unique before and after:
   * the caller checked that nothing is defined twice). Lists that change are new arrays, so a list
   * handed out before keeps its content (docs/performance.md, "Re-translation driven by what changed").
   */
  patch(removed: readonly KubeObject[], added: readonly KubeObject[]): void {
    const lists = new Map<string, KubeObject[]>();
    const listOf = (kind: string): KubeObject[] => {
      let list = lists.get(kind);
      if (!list) {
        list = (this.byKind.get(kind) ?? []).slice();
        lists.set(kind, list);
      }
      return list;
    };
    for (const object of removed) {
      const { kind, metadata } = object;
      const names = this.byName.get(kind)?.get(metadata.namespace);
      names?.delete(metadata.name);
      if (names?.size === 0) this.byName.get(kind)!.delete(metadata.namespace);
      this.byKey?.delete(keyOf(kind, metadata.namespace, metadata.name));
      const list = listOf(object.kind);
      const at = list.indexOf(object, lowerBound(list, object, compareNamespaced));
      if (at >= 0) list.splice(at, 1);
      this.relabel(object, (bucket, i) => bucket.splice(i, 1), true);
    }
    for (const object of added) {
      const { kind, metadata } = object;
      let spaces = this.byName.get(kind);
      if (!spaces) this.byName.set(kind, (spaces = new Map()));
      let names = spaces.get(metadata.namespace);
      if (!names) spaces.set(metadata.namespace, (names = new Map()));
      names.set(metadata.name, object);
      this.byKey?.set(keyOf(kind, metadata.namespace, metadata.name), object);
      const list = listOf(object.kind);
      list.splice(lowerBound(list, object, compareNamespaced), 0, object);
      this.relabel(object, (bucket, i) => bucket.splice(i, 0, object), false);
    }
    for (const [kind, list] of lists) {
      if (list.length > 0) this.byKind.set(kind, list);
      else this.byKind.delete(kind);
    }
  }

  /** Applies `change` to the (copied) label bucket of `object` in each label index built for its kind. */
  private relabel(object: KubeObject, change: (bucket: KubeObject[], at: number) => void, removing: boolean): void {
    const labels = this.byLabel.get(object.kind);
    if (!labels) return;
    const { namespace } = object.metadata;
    for (const [label, index] of labels) {
      const own = object.metadata.labels?.[label];
      if (typeof own !== 'string') continue;
      let values = index.get(namespace);
      const bucket = (values?.get(own) ?? []).slice();
      const at = lowerBound(bucket, object, compareNamespaced);
      if (removing && bucket[at] !== object) continue;
      change(bucket, at);
      if (bucket.length > 0) {
        if (!values) index.set(namespace, (values = new Map()));
        values.set(own, bucket);
      } else {
        values?.delete(own);
      }
    }
  }

  /** Objects of a kind, sorted by namespace then name; optionally in one namespace. */
  list<T extends KubeObject = KubeObject>(kind: string, namespace?: string): T[] {
    const all = (this.byKind.get(kind) ?? []) as T[];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  /**
   * Objects of a kind in a namespace whose label `label` is `value`, sorted like `list` (the
   * objects that a label ties to another). Indexed once per label, so a lookup per Backend stays cheap.
   */
  withLabel<T extends KubeObject = KubeObject>(kind: string, namespace: string, label: string, value: string): T[] {
    let labels = this.byLabel.get(kind);
    if (!labels) this.byLabel.set(kind, (labels = new Map()));
    let index = labels.get(label);
    if (!index) {
      index = new Map();
      for (const object of this.list(kind)) {
        const own = object.metadata.labels?.[label];
        if (typeof own !== 'string') continue;
        const where = object.metadata.namespace;
        let values = index.get(where);
        if (!values) index.set(where, (values = new Map()));
        const members = values.get(own);
        if (members) members.push(object);
        else values.set(own, [object]);
      }
      labels.set(label, index);
    }
    return (index.get(namespace)?.get(value) ?? []) as T[];
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The first place in the sorted `items` whose item does not sort before `item` under `order`. */
export function lowerBound<T>(items: readonly T[], item: T, order: (a: T, b: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (order(items[mid]!, item) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function compareNamespaced(a: KubeObject, b: KubeObject): number {
  return compareStrings(a.metadata.namespace, b.metadata.namespace) || compareStrings(a.metadata.name, b.metadata.name);
}

/** Code-unit order, the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
