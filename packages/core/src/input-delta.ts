// The incremental memo's front: screening that reuses the last call's, and what changed since
// (docs/performance.md, "Re-translation driven by what changed").
import { defaulted, screenEnvelopes, screenOne, type Screened } from './envelope';
import { keyOf, type KubeObject } from './resources';

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
  /** Per position: kind, namespace, name and resourceVersion as they were read. */
  kinds: string[];
  namespaces: unknown[];
  names: string[];
  versions: string[];
}

/**
 * Screens a translation's input (`screenEnvelopes`), and tells what changed since the last call when
 * that can be known without reading every object: every object carries a `metadata.resourceVersion`
 * (Kubernetes changes it with every change, so an object at the same place with the same version is
 * unchanged), nothing was refused or defined twice, and the objects that differ sit in one window of
 * positions (an update in place, objects added or removed together, as an informer's list does).
 * Otherwise it screens everything and gives no delta: the memo then compares every step's reads.
 */
export class IncrementalScreen {
  private last: Last | undefined;

  screen(input: readonly unknown[]): { screened: Screened; delta?: InputDelta } {
    const last = this.last;
    const patched = last && this.patch(last, input);
    if (patched) return patched;
    const screened = screenEnvelopes(input);
    this.last = remember(input, screened);
    return { screened };
  }

  private patch(last: Last, input: readonly unknown[]): { screened: Screened; delta: InputDelta } | undefined {
    const n = input.length;
    const m = last.input.length;
    let p = 0;
    while (p < n && p < m && same(last, input[p], p)) p++;
    let s = 0;
    while (s < n - p && s < m - p && same(last, input[n - 1 - s], m - 1 - s)) s++;
    if (n - p - s + (m - p - s) > MAX_WINDOW) return undefined;
    // Every object outside the window was compared; inside it, the old ones go and the new ones come.
    const removed = last.screened.objects.slice(p, m - s);
    const added: KubeObject[] = [];
    const { keys } = last.screened;
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
    const before = new Set(removed);
    if (added.some((object) => before.has(object))) return undefined;
    // Committed: positions after the window moved, which only duplicates' messages would show (none).
    for (const key of gone) keys.delete(key);
    for (const key of fresh) keys.set(key, 0);
    const objects = last.screened.objects.slice(0, p).concat(added, last.screened.objects.slice(m - s));
    const screened: Screened = { objects, diagnostics: [], duplicateBackends: new Map(), keys };
    last.input = input.slice();
    last.screened = screened;
    const fields = given.map(fieldsOf);
    last.kinds.splice(p, m - p - s, ...fields.map((f) => f.kind));
    last.namespaces.splice(p, m - p - s, ...fields.map((f) => f.namespace));
    last.names.splice(p, m - p - s, ...fields.map((f) => f.name));
    last.versions.splice(p, m - p - s, ...fields.map((f) => f.version));
    return { screened, delta: { removed, added } };
  }
}

/** What the next call compares with, or nothing when the next call cannot be patched anyway. */
function remember(input: readonly unknown[], screened: Screened): Last | undefined {
  if (screened.diagnostics.length > 0 || screened.duplicateBackends.size > 0 || screened.objects.length !== input.length) return undefined;
  const last: Last = { input: input.slice(), screened, kinds: [], namespaces: [], names: [], versions: [] };
  for (let i = 0; i < input.length; i++) {
    const object = input[i] as KubeObject;
    const version = versionOf(object);
    if (version === undefined) return undefined;
    last.kinds.push(object.kind);
    last.namespaces.push(object.metadata.namespace);
    last.names.push(object.metadata.name);
    last.versions.push(version);
  }
  return last;
}

/** The same object at a position as last time, with the same envelope and version. */
function same(last: Last, value: unknown, i: number): boolean {
  if (value !== last.input[i]) return false;
  const object = value as KubeObject;
  const metadata = object.metadata as KubeObject['metadata'] | undefined;
  return (
    metadata !== undefined &&
    metadata !== null &&
    object.kind === last.kinds[i] &&
    metadata.namespace === last.namespaces[i] &&
    metadata.name === last.names[i] &&
    metadata.resourceVersion === last.versions[i]
  );
}

function versionOf(object: KubeObject): string | undefined {
  const version = object.metadata.resourceVersion;
  return typeof version === 'string' && version !== '' ? version : undefined;
}

/** The envelope fields `same` compares, as given (before the namespace default). */
function fieldsOf(object: KubeObject): { kind: string; namespace: unknown; name: string; version: string } {
  return { kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name, version: versionOf(object)! };
}
