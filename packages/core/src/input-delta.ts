// The incremental memo's front: screening that reuses the last call's, and what changed since
// (docs/performance.md, "Re-translation driven by what changed").
import { defaulted, screenEnvelopes, screenOne, type Screened } from './envelope';
import { keyOf, versionOf, type KubeObject } from './resources';

/**
 * What changed between two translations' objects, by key: an object updated (a new version, or a
 * new object with the same version) is in both lists, with the same key.
 */
export interface InputDelta {
  removed: KubeObject[];
  added: KubeObject[];
}

/** Positions that differ between two calls, beyond which a full screen is cheaper than a patch. */
const MAX_WINDOW = 256;

/** The last call's input, as positions, for the next call's comparison. */
interface Last {
  input: unknown[];
  screened: Screened;
  /** The `keyOf` key of every object of `screened` (each once: nothing is defined twice here). */
  keys: Set<string>;
  /** Per position: the object's `metadata` object and its resourceVersion, as they were read. */
  metadata: unknown[];
  versions: string[];
}

/**
 * Screens a translation's input (`screenEnvelopes`), and tells what changed since the last call when
 * that can be known without reading every object: every object carries a `metadata.resourceVersion`,
 * nothing was refused or defined twice, and the objects that differ sit in one window of positions
 * (one object updated, objects added or removed together). The same object at the same place with
 * the same `metadata` object and version is unchanged: Kubernetes changes the version with every
 * change, and an informer hands over a new object for each version (docs/performance.md).
 * Otherwise it screens everything and gives no delta: the memo then compares every step's reads.
 */
export class IncrementalScreen {
  private last: Last | undefined;

  /** Whether the next call can give a delta (this one's input is remembered). */
  get remembers(): boolean {
    return this.last !== undefined;
  }

  screen(input: readonly unknown[]): { screened: Screened; delta?: InputDelta } {
    const last = this.last;
    const patched = last && this.patch(last, input);
    if (patched) return patched;
    // With the objects the walk found to be JSON data: the memo's first fingerprints skip that check.
    const screened = screenEnvelopes(input, true);
    this.last = remember(input, screened);
    return { screened };
  }

  private patch(last: Last, input: readonly unknown[]): { screened: Screened; delta: InputDelta } | undefined {
    const n = input.length;
    const m = last.input.length;
    const before = last.input;
    const { metadata, versions } = last;
    // Inlined, and two reads of each object only: this loop runs over every position.
    let p = 0;
    while (p < n && p < m) {
      const object = input[p] as KubeObject;
      if (object !== before[p]) break;
      const meta = object.metadata;
      if (meta !== metadata[p] || meta.resourceVersion !== versions[p]) break;
      p++;
    }
    let s = 0;
    while (s < n - p && s < m - p) {
      const object = input[n - 1 - s] as KubeObject;
      if (object !== before[m - 1 - s]) break;
      const meta = object.metadata;
      if (meta !== metadata[m - 1 - s] || meta.resourceVersion !== versions[m - 1 - s]) break;
      s++;
    }
    if (n - p - s + (m - p - s) > MAX_WINDOW) return undefined;
    // Every object outside the window was compared; inside it, the old ones go and the new ones come.
    const removed = last.screened.objects.slice(p, m - s);
    const added: KubeObject[] = [];
    const { keys } = last;
    const gone = new Set<string>();
    for (const object of removed) gone.add(keyOf(object.kind, object.metadata.namespace, object.metadata.name));
    const fresh = new Set<string>();
    const given: KubeObject[] = [];
    for (let i = p; i < n - s; i++) {
      const object = input[i];
      if (screenOne(object, i) !== undefined) return undefined;
      const kube = defaulted(object as KubeObject);
      if (versionOf(kube) === undefined) return undefined;
      given.push(object as KubeObject);
      const key = keyOf(kube.kind, kube.metadata.namespace, kube.metadata.name);
      if ((keys.has(key) && !gone.has(key)) || fresh.has(key)) return undefined; // defined twice
      fresh.add(key);
      added.push(kube);
    }
    // An object changed in place (the same object, another version) no longer shows what it was.
    const removedSet = new Set(removed);
    if (added.some((object) => removedSet.has(object))) return undefined;
    // Committed: positions after the window moved, which only duplicates' messages would show (none).
    for (const key of gone) keys.delete(key);
    for (const key of fresh) keys.add(key);
    const objects = last.screened.objects.slice(0, p).concat(added, last.screened.objects.slice(m - s));
    const screened: Screened = { objects, diagnostics: [], duplicateBackends: new Map() };
    last.input = input.slice();
    last.screened = screened;
    last.metadata.splice(p, m - p - s, ...given.map((o) => o.metadata));
    last.versions.splice(p, m - p - s, ...given.map((o) => versionOf(o)!));
    return { screened, delta: { removed, added } };
  }
}

/** What the next call compares with, or nothing when the next call cannot be patched anyway. */
function remember(input: readonly unknown[], screened: Screened): Last | undefined {
  if (screened.diagnostics.length > 0 || screened.duplicateBackends.size > 0 || screened.objects.length !== input.length) return undefined;
  const last: Last = { input: input.slice(), screened, keys: new Set(), metadata: [], versions: [] };
  for (let i = 0; i < input.length; i++) {
    const object = input[i] as KubeObject;
    const version = versionOf(object);
    if (version === undefined) return undefined;
    last.metadata.push(object.metadata);
    last.versions.push(version);
  }
  // Joined only for an input the next call may patch (the screen itself joins none).
  for (const { kind, metadata } of screened.objects) last.keys.add(keyOf(kind, metadata.namespace, metadata.name));
  return last;
}
