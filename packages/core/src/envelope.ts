import { types } from 'node:util';
import { locationText, type Diagnostic, type SourceLocation } from './diagnostics';
import { isPlainObject } from './load';
import { nameProblem } from './names';
import { cleanObjectPrototype, PLAIN_DATA } from './plain-data';
import { isJsonLeaf } from './snapshot';
import { keyOf, versionOf, type KubeObject } from './resources';
import { ROUTE_KINDS } from './routing/types';

const ROUTES: ReadonlySet<string> = new Set(ROUTE_KINDS);

export interface Screened {
  objects: KubeObject[];
  diagnostics: Diagnostic[];
  /**
   * The error of each Backend defined more than once, by `keyOf` key: it goes on the Backend (which
   * gets no cluster) rather than into `diagnostics`.
   */
  duplicateBackends: Map<string, Diagnostic>;
  /**
   * Asked for (`screenEnvelopes(objects, true)`): objects kept, without a `metadata.resourceVersion`,
   * that the screen's walk found to be JSON data as the caching memo's fingerprint has it (`isData`
   * in snapshot.ts), so that the memo's first fingerprint of them skips that second walk. True of
   * this translation only: an object changed in place afterwards is walked again by the memo
   * (docs/performance.md, "The screen and the memo's reads on a first translation (2026-12-02,
   * input)").
   */
  jsonData?: Set<object>;
}

/** Objects without `metadata.namespace`, with their copy in `default` (the same copy every time). */
const DEFAULTED = new WeakMap<object, KubeObject>();

/**
 * Every object reaches the translation through here, loaded or built in code. Skipped, each with an
 * error:
 * - objects without which nothing can be indexed: not an object, no `kind` string, no `metadata`
 *   object with a string `name` (and a string `namespace`, if any);
 * - objects that are not plain data: a Proxy or a getter anywhere inside, which could throw (or
 *   answer differently each time) while a plugin reads it;
 * - names Kubernetes would refuse (`metadata.namespace` a DNS-1123 label, `metadata.name` a DNS-1123
 *   subdomain): cluster names are built from them and must not collide (docs/security.md).
 * An object without `metadata.namespace` is in `default`, as the loader has it. An object defined
 * twice (same kind, namespace and name) is an error naming both places; the first is the one read.
 */
export function screenEnvelopes(objects: readonly unknown[], withJsonData = false): Screened {
  let problems: Diagnostic[] | undefined;
  let screened: KubeObject[] | undefined;
  // Kind, namespace, name → the position of the first copy: nested maps of the objects' own strings,
  // so that no key text is joined per object (docs/performance.md, "The screen and the memo's reads
  // on a first translation (2026-12-02, input)"); `keyOf` keys only for objects defined twice.
  const seen = new Map<string, Map<string, Map<string, number>>>();
  const duplicateBackends = new Map<string, Diagnostic>();
  const jsonData = withJsonData ? new Set<object>() : undefined;
  // `isData` walks an object's keys with for-in, which would also see enumerable keys added to
  // Object.prototype: then the walk vouches for nothing.
  watchJson = withJsonData && cleanObjectPrototype();
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i];
    json = watchJson;
    const problem = screenOne(object, i);
    if (problem) {
      (problems ??= []).push(problem);
      screened ??= objects.slice(0, i) as KubeObject[];
      continue;
    }
    const kube = defaulted(object as KubeObject);
    // `json` is left as the walk of this object found it (false when it was not walked).
    if (json && jsonData && versionOf(kube) === undefined) jsonData.add(kube);
    const { kind, metadata } = kube;
    const { namespace, name } = metadata;
    let spaces = seen.get(kind);
    if (!spaces) seen.set(kind, (spaces = new Map()));
    let names = spaces.get(namespace);
    if (!names) spaces.set(namespace, (names = new Map()));
    const first = names.get(name);
    if (first === undefined) names.set(name, i);
    else if (kind === 'Backend') {
      const key = keyOf(kind, namespace, name);
      if (!duplicateBackends.has(key)) duplicateBackends.set(key, duplicate(kube, objects[first] as KubeObject, first, i));
    } else {
      // A route defined twice also gets a ResolvedRefs condition saying so, from routing (docs/routing.md).
      (problems ??= []).push(duplicate(kube, objects[first] as KubeObject, first, i));
    }
    if (kube !== object) screened ??= objects.slice(0, i) as KubeObject[];
    screened?.push(kube);
  }
  watchJson = false;
  json = false;
  const result: Screened = { objects: screened ?? (objects as KubeObject[]), diagnostics: problems ?? [], duplicateBackends };
  if (jsonData) result.jsonData = jsonData;
  return result;
}

export function screenOne(object: unknown, index: number): Diagnostic | undefined {
  const refuse = (message: string, source?: SourceLocation, path?: string): Diagnostic => ({
    severity: 'error',
    code: 'invalid-input',
    message,
    ...(path ? { path } : {}),
    ...(source ? { source } : {}),
  });
  if (!plainData(object)) {
    return refuse(`objects[${index}] is not plain data (it holds a Proxy, a getter or a setter, or reading it throws): skipped`);
  }
  if (!indexable(object)) return refuse(`objects[${index}] is not a Kubernetes object (it needs a kind, and metadata with a name): skipped`);
  const source = isPlainObject(object.source) ? (object.source as unknown as SourceLocation) : undefined;
  for (const field of ['namespace', 'name'] as const) {
    const value = object.metadata[field];
    const problem = value === undefined ? undefined : nameProblem(field, value as string);
    if (problem) return refuse(`${source ? object.kind : `${object.kind} ${where(object, index)}`}: ${problem}: skipped`, source, `metadata.${field}`);
  }
  return undefined;
}

function indexable(object: unknown): object is KubeObject {
  if (!isPlainObject(object) || typeof object.kind !== 'string' || !isPlainObject(object.metadata)) return false;
  const { name, namespace } = object.metadata;
  return typeof name === 'string' && (namespace === undefined || typeof namespace === 'string');
}

export function defaulted(object: KubeObject): KubeObject {
  if (object.metadata.namespace !== undefined) return object;
  let copy = DEFAULTED.get(object);
  if (!copy) {
    copy = { ...object, metadata: { ...object.metadata, namespace: 'default' } };
    DEFAULTED.set(object, copy);
  }
  return copy;
}

/** `objects[3]`, or `a.yaml#0:4` for a loaded object. */
function where(object: KubeObject, index: number): string {
  const source = object.source;
  if (!source) return `objects[${index}]`;
  // GCC style, as the CLI prints locations (docs/cli.md).
  return locationText(source);
}

function duplicate(again: KubeObject, first: KubeObject, firstIndex: number, index: number): Diagnostic {
  const { kind, metadata } = again;
  // A Backend defined twice gets no cluster and a route no backends (their statuses say so), as
  // which copy came first depends on input order; others are read once.
  const outcome = kind === 'Backend' ? 'neither is translated' : ROUTES.has(kind) ? 'neither is used' : 'the first is the one read';
  return {
    severity: 'error',
    code: 'duplicate',
    message: `${kind} ${metadata.namespace}/${metadata.name} is defined twice, at ${where(first, firstIndex)} and at ${where(again, index)}: ${outcome}`,
    resource: { kind, namespace: metadata.namespace, name: metadata.name },
    ...(again.source ? { source: again.source } : {}),
  };
}

/**
 * Whether a value is plain data all the way down: no Proxy, no accessor property, nothing that
 * throws when read. Most objects are small trees: they are walked recursively, reading one
 * property descriptor at a time (`Object.getOwnPropertyDescriptors` builds them all, and was 7 %
 * of a first translation: docs/performance.md, "The screen, the index and the memo on a first
 * translation"). A value deeper or larger than that walk allows (objects built in code may nest
 * deeply, or share parts many times) is walked again with an explicit stack and a visited set,
 * which gives the same answer for any shape.
 */
function plainData(root: unknown): boolean {
  if (typeof root !== 'object' || root === null || PLAIN_DATA.has(root)) {
    json = false;
    return true;
  }
  let plain: boolean | undefined;
  try {
    budget = TREE_BUDGET;
    plain = plainTree(root, 0);
  } catch {
    return false;
  }
  if (plain === undefined) {
    json = false;
    plain = plainGraph(root);
  }
  if (plain) PLAIN_DATA.add(root);
  return plain;
}

/** Nodes and depth the recursive walk takes on before it hands over to `plainGraph`. */
const TREE_BUDGET = 4096;
const TREE_DEPTH = 64;
let budget = 0;
/**
 * Whether the screen is asked which objects are JSON data (`Screened.jsonData`), and, while an
 * object is walked, whether everything seen so far is: `isData` (snapshot.ts) would say true of it.
 * It only ever vouches where that is plain to see (plain objects of this realm, arrays without holes,
 * within `plainTree`'s budget); anything else leaves the memo to walk the object again, which gives
 * the exact answer either way.
 */
let watchJson = false;
let json = false;

/**
 * True or false when the value is a tree within the budget (shared parts counted each time they are
 * met); undefined otherwise. Own keys are listed as names, then symbols: two calls that cost about a
 * third of what `Reflect.ownKeys` costs on these objects (docs/performance.md, "The screen and the
 * memo's reads on a first translation (2026-12-02, input)"). An array's `length` is never an accessor, and its
 * descriptor is not read.
 */
function plainTree(value: object, depth: number): boolean | undefined {
  if (--budget < 0 || depth > TREE_DEPTH) return undefined;
  if (types.isProxy(value)) return false;
  const names = Object.getOwnPropertyNames(value);
  const isArray = Array.isArray(value);
  // What `isData` reads: an array's elements (an array's own names list its indices first, in order,
  // then `length`: so `length` at that place means no holes), a plain object's enumerable string keys.
  if (json) {
    if (isArray) json = names[value.length] === 'length';
    else {
      const proto: unknown = Object.getPrototypeOf(value);
      json = proto === Object.prototype || proto === null;
    }
  }
  for (let i = 0; i < names.length; i++) {
    const key = names[i]!;
    if (isArray && key === 'length') continue;
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key)!;
    if (descriptor.get || descriptor.set) return false;
    const child: unknown = descriptor.value;
    if (typeof child === 'object' && child !== null) {
      const plain = plainTree(child, depth + 1);
      if (plain !== true) return plain;
    } else if (json && !isJsonLeaf(child) && (isArray ? i < (value as unknown[]).length : descriptor.enumerable)) {
      json = false;
    }
  }
  const symbols = Object.getOwnPropertySymbols(value);
  for (let i = 0; i < symbols.length; i++) {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, symbols[i]!)!;
    if (descriptor.get || descriptor.set) return false;
    const child: unknown = descriptor.value;
    if (typeof child === 'object' && child !== null) {
      const plain = plainTree(child, depth + 1);
      if (plain !== true) return plain;
    }
  }
  return true;
}

/** The same check for any shape (deep, cyclic, much shared), with an explicit stack. */
function plainGraph(root: object): boolean {
  try {
    const stack: object[] = [root];
    const visited = new Set<object>();
    while (stack.length > 0) {
      const value = stack.pop()!;
      if (visited.has(value) || PLAIN_DATA.has(value)) continue;
      visited.add(value);
      if (types.isProxy(value)) return false;
      const descriptors = Object.getOwnPropertyDescriptors(value);
      for (const key of Reflect.ownKeys(descriptors)) {
        const descriptor = descriptors[key as keyof typeof descriptors]!;
        if (descriptor.get || descriptor.set) return false;
        const child: unknown = descriptor.value;
        if (typeof child === 'object' && child !== null) stack.push(child);
      }
    }
  } catch {
    return false;
  }
  return true;
}
