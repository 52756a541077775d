// Content comparison for the caching memo: a copy of what a step read, and whether an object still
// holds the same data (docs/performance.md, docs/architecture.md "Incremental translation").
import * as crypto from 'node:crypto';

/** Plain data as JSON has it; the cache's copy of an object as it was read. */
export type Data = null | boolean | number | string | undefined | readonly Data[] | { readonly [key: string]: Data };
/** Stands for a value that is not plain data (a Date, a Map, a cycle, absurd nesting): never the same as anything. */
export const OPAQUE: unique symbol = Symbol('opaque');
export type Snapshot = Data | typeof OPAQUE;

/**
 * What the cache keeps of an object as a step read it: its version stamp, the digest of its
 * fingerprint, or OPAQUE (never the same as anything). A plain value, not an object around it: the
 * memo keeps one per object read, and the translation that compares them keeps the answer per
 * object (docs/performance.md, "The memo's own objects on a first translation").
 */
export type ContentKey = string | typeof OPAQUE;

/**
 * The content key of an object as it is now. An object with a `metadata.resourceVersion` is kept as
 * its version stamp alone: Kubernetes changes the version with every change of the object, so the
 * stamp says as much as the content, at no cost (docs/performance.md, "Incremental translation").
 * A stamp starts with a NUL and `version`, and a digest equal to one would be a SHA-256 preimage:
 * an object that gained or lost its version is not the same as before. `knownData`: the caller knows
 * that `isData(object)` is true in this translation (the screen's walk found it so:
 * `Screened.jsonData`), and the check is not made again.
 */
export function contentKey(object: object, knownData = false): ContentKey {
  return versionStamp(object) ?? (knownData ? sha256(JSON.stringify(object)) : digest(object));
}

/**
 * `crypto.hash` where Node.js has it (20.12 and later): one call, no Hash object per digest. The
 * 32 bytes as a one-byte string of 32 characters (`binary`, which is latin1): the digest is only compared, never
 * printed, and this spelling is the cheapest to make and to keep.
 */
const sha256: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'binary')
    : (text) => crypto.createHash('sha256').update(text).digest('binary');

/**
 * The SHA-256 of an object's fingerprint, which is what a copy keeps: 32 characters however large
 * the object, instead of its whole JSON text (docs/performance.md, "One-shot runs keep no cache; the
 * cache keeps fingerprints or versions"). Two objects with the same
 * digest hold the same data, but for a SHA-256 collision, which nobody has ever found.
 */
function digest(object: object): string | typeof OPAQUE {
  const text = fingerprint(object);
  return text === OPAQUE ? OPAQUE : sha256(text);
}

/**
 * Kind, name and `metadata.resourceVersion` of an object that has one, as one string; undefined
 * otherwise. (`generation` is not enough: it does not change with labels or annotations.)
 */
export function versionStamp(object: object): string | undefined {
  const { apiVersion, kind, metadata } = object as { apiVersion?: unknown; kind?: unknown; metadata?: unknown };
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { resourceVersion, namespace, name } = metadata as { resourceVersion?: unknown; namespace?: unknown; name?: unknown };
  if (typeof resourceVersion !== 'string' || resourceVersion === '') return undefined;
  // Joined, not a template: a template makes a tree of concatenated strings, which the memo would
  // keep (about twice the bytes); `join` makes one flat string (docs/performance.md, "The memo's own
  // objects on a first translation").
  return ['', 'version', String(apiVersion), String(kind), String(namespace), String(name), resourceVersion].join('\0');
}

/** Deeper than this is not compared (and not cached): real objects nest about ten levels. */
const MAX_DEPTH = 100;
/** A snapshot object's keys, in order, kept beside it so that comparing allocates less. */
const KEYS: unique symbol = Symbol('keys');

/**
 * The content of JSON data as one string (docs/performance.md): `JSON.stringify`, for data that it
 * prints faithfully — plain objects and arrays of any realm, strings, finite numbers, booleans and
 * null, no deeper than `MAX_DEPTH` — and OPAQUE for anything else (`undefined`, NaN, a Date, a class
 * instance, a cycle), which is then never reused. Two fingerprints are equal only when `sameData`
 * would say the data is the same. The cache keeps this instead of a deep copy: one flat string is a
 * fraction of the objects it stands for.
 */
export function fingerprint(value: unknown): string | typeof OPAQUE {
  return isJsonData(value, 0) ? JSON.stringify(value) : OPAQUE;
}

/** Whether `fingerprint` would print `value` (plain JSON data), without printing it. */
export function isData(value: unknown): boolean {
  return isJsonData(value, 0);
}

/** A value other than an object that `isData` takes: a string, a boolean, a finite number, null. */
export function isJsonLeaf(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    default:
      return value === null;
  }
}

function isJsonData(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return isJsonLeaf(value);
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isJsonData(value[i], depth + 1)) return false;
    return true;
  }
  if (!isPlain(value)) return false;
  for (const key in value) if (!isJsonData((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

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
