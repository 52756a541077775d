import type { Any } from '@bufbuild/protobuf/wkt';
import { noteDerivedList } from './encode';
import { digest, type XdsResource } from './resource';

// The resources of one type in a snapshot, sorted by name, and their type version. Successive
// snapshots of a control plane share most resource objects (a re-translation keeps what did not
// change, and `snapshotFromTranslation` packs each result object once), so a set is derived from
// the set built before it, touching only the resources that changed; at 20,000 clusters, merely
// reading every resource object costs more than the push itself (docs/performance.md, "From a change to Envoy's ACK"):
// - a type whose resources are the very objects of an earlier set reuses that set;
// - one whose resources differ from an earlier set's at a few positions, with the same names there,
//   is derived from it: the order, the names and the digests of the unchanged runs carry over;
// - the type version digests runs of resources whose boundaries depend on content only (a resource
//   whose version ends in "00" closes a run), so it stays a function of the names and versions.

const byName = (a: XdsResource, b: XdsResource): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The last set built with a given first resource: the base the next one is derived from. */
const setsByFirst = new WeakMap<XdsResource, ResourceSet>();

function closesRun(resource: XdsResource): boolean {
  return resource.version.endsWith('00');
}

function runDigest(sorted: readonly XdsResource[], from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) parts.push(`${sorted[i]!.name}\u0000${sorted[i]!.version}`);
  return digest(parts.join('\u0000'));
}

/** Runs as end offsets (exclusive) and their digests. */
interface Runs {
  ends: number[];
  digests: string[];
}

function allRuns(sorted: readonly XdsResource[]): Runs {
  const runs: Runs = { ends: [], digests: [] };
  let from = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (closesRun(sorted[i]!) || i === sorted.length - 1) {
      runs.ends.push(i + 1);
      runs.digests.push(runDigest(sorted, from, i + 1));
      from = i + 1;
    }
  }
  return runs;
}

/** The runs of `sorted`, which differs from `base.sorted` only at `changed` (ascending positions). */
function derivedRuns(base: ResourceSet, sorted: readonly XdsResource[], changed: readonly number[]): Runs {
  const ends = new Set(base.runs.ends);
  for (const i of changed) {
    if (closesRun(sorted[i]!) || i === sorted.length - 1) ends.add(i + 1);
    else ends.delete(i + 1);
  }
  const sortedEnds = [...ends].sort((a, b) => a - b);
  const baseDigest = new Map(base.runs.ends.map((end, k) => [end, { from: k === 0 ? 0 : base.runs.ends[k - 1]!, digest: base.runs.digests[k]! }]));
  const runs: Runs = { ends: sortedEnds, digests: [] };
  let from = 0;
  let c = 0;
  for (const end of sortedEnds) {
    while (c < changed.length && changed[c]! < from) c++;
    const touched = c < changed.length && changed[c]! < end;
    const same = baseDigest.get(end);
    runs.digests.push(!touched && same && same.from === from ? same.digest : runDigest(sorted, from, end));
    from = end;
  }
  return runs;
}

/**
 * Resources of one type, by name in name order, with the type's version. Read-only; `get`/`has`
 * index the names the first time they are asked (a state-of-the-world push of every cluster only
 * iterates).
 */
export class ResourceSet implements ReadonlyMap<string, XdsResource> {
  readonly version: string;
  /** @internal */
  readonly runs: Runs;
  /**
   * The set this one was derived from, and the positions that differ (names are the same at every
   * position). Kept one level deep: deriving from this set forgets this set's own base.
   */
  derivation: { base: ResourceSet; changed: readonly number[] } | undefined;
  private index: Map<string, XdsResource> | undefined;
  private anyList: readonly Any[] | undefined;
  private nameList: readonly string[] | undefined;

  private constructor(
    /** Sorted by name, no two alike. */
    readonly sorted: readonly XdsResource[],
    derivation?: { base: ResourceSet; changed: readonly number[] },
  ) {
    this.derivation = derivation;
    this.runs = derivation ? derivedRuns(derivation.base, sorted, derivation.changed) : allRuns(sorted);
    this.version = digest(this.runs.digests.join(','));
  }

  /**
   * The set of these resources (of one type); it keeps the array given. Calls `duplicate` with the
   * first name given twice. Reuses, or derives from, the last set built with the same first resource.
   */
  static of(resources: XdsResource[], duplicate: (name: string) => never): ResourceSet {
    if (resources.length === 0) return ResourceSet.empty;
    const base = setsByFirst.get(resources[0]!);
    if (base && base.sorted.length === resources.length) {
      const changed: number[] = [];
      const previous = base.sorted;
      for (let i = 0; i < resources.length; i++) if (resources[i] !== previous[i]) changed.push(i);
      if (changed.length === 0) return base;
      // Few changes with the same names at the same places: the order and uniqueness carry over.
      if (changed.length <= resources.length / 4 && changed.every((i) => resources[i]!.name === previous[i]!.name)) {
        const set = new ResourceSet(resources, { base, changed });
        base.derivation = undefined;
        setsByFirst.set(resources[0]!, set);
        return set;
      }
    }
    let sorted = resources;
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i - 1]!.name >= sorted[i]!.name) {
        sorted = [...resources].sort(byName);
        break;
      }
    }
    for (let i = 1; i < sorted.length; i++) if (sorted[i - 1]!.name === sorted[i]!.name) duplicate(sorted[i]!.name);
    const set = new ResourceSet(sorted);
    setsByFirst.set(sorted[0]!, set);
    return set;
  }

  static readonly empty: ResourceSet = new ResourceSet([]);

  /** The `Any` of every resource, in order: one frozen array per set, so encodings can be kept for it. */
  anys(): readonly Any[] {
    if (!this.anyList) {
      const d = this.derivation;
      const base = d?.base.anys();
      const list = base ? [...base] : this.sorted.map((r) => r.any);
      if (d) for (const i of d.changed) list[i] = this.sorted[i]!.any;
      this.anyList = Object.freeze(list);
      if (d && base) noteDerivedList(this.anyList, base, d.changed);
    }
    return this.anyList;
  }

  /** Every name, in order. */
  names(): readonly string[] {
    this.nameList ??= Object.freeze(this.derivation ? this.derivation.base.names() : this.sorted.map((r) => r.name));
    return this.nameList;
  }

  get size(): number {
    return this.sorted.length;
  }

  private byName(): Map<string, XdsResource> {
    this.index ??= new Map(this.sorted.map((r) => [r.name, r]));
    return this.index;
  }

  get(name: string): XdsResource | undefined {
    return this.byName().get(name);
  }

  has(name: string): boolean {
    return this.byName().has(name);
  }

  forEach(callback: (value: XdsResource, key: string, map: ReadonlyMap<string, XdsResource>) => void, thisArg?: unknown): void {
    for (const r of this.sorted) callback.call(thisArg, r, r.name, this);
  }

  *entries(): MapIterator<[string, XdsResource]> {
    for (const r of this.sorted) yield [r.name, r];
  }

  *keys(): MapIterator<string> {
    for (const r of this.sorted) yield r.name;
  }

  values(): MapIterator<XdsResource> {
    return this.sorted.values() as unknown as MapIterator<XdsResource>;
  }

  [Symbol.iterator](): MapIterator<[string, XdsResource]> {
    return this.entries();
  }
}
