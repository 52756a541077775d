import type { CST, Node } from 'yaml';
import { yaml } from './yaml-lib';

const { isMap, isPair, isScalar, isSeq } = yaml;
import { joinPath } from './diagnostics';

/**
 * Limits the loader applies to untrusted text, so that a hostile file is refused in bounded time and
 * memory instead of exhausting either. Each can be changed through `LoadOptions`.
 */
export const LOAD_LIMITS = {
  /**
   * Alias expansions per document, weighted by the aliases inside what they expand to ("billion
   * laughs"). yaml's own default; real manifests use a handful of aliases.
   */
  maxAliasCount: 100,
  /**
   * Size of one text (a file, standard input). The YAML parser holds about 30 times the text in
   * memory and reads a few MB per second, so 16 MiB costs about half a GB and several seconds.
   */
  maxInputBytes: 16 * 1024 * 1024,
  /**
   * Size of one YAML document. Kubernetes stores objects of at most 1.5 MiB; a `kind: List` dump
   * of many objects is one document too, hence the headroom.
   */
  maxDocumentBytes: 4 * 1024 * 1024,
  /**
   * Nesting of maps and lists. Kubernetes objects nest about ten levels; the YAML library recurses
   * per level and overflows the stack somewhere near a thousand, so values above 1000 count as 1000.
   */
  maxDepth: 64,
  /**
   * Values (maps, lists, scalars) in one document once aliases are expanded. Each alias is one
   * shared object in memory, but whatever walks or prints the document pays for every copy; without
   * this, 100 aliases of a 4 MiB list would be 400 MiB of output.
   */
  maxValues: 1_000_000,
  /**
   * YAML documents in one text. Each costs memory even when empty (the parser's and composer's
   * objects, a few KiB), so 16 MiB of `---` lines would be millions of them and exhaust the heap.
   * Multi-document files hold tens or hundreds of objects; a larger dump is one `kind: List`.
   */
  maxDocuments: 10_000,
} as const;

export type LoadLimits = { -readonly [K in keyof typeof LOAD_LIMITS]: number };

/** UTF-8 size of a string, counted only when it could be over `limit` (counting is O(n)). */
export function utf8Bytes(text: string, limit: number): number {
  // A UTF-16 unit is at most 3 bytes of UTF-8, so short strings cannot be over the limit.
  if (text.length * 3 <= limit) return text.length;
  return Buffer.byteLength(text, 'utf8');
}

/** `1.5 MiB`, `812 bytes`: sizes in messages. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KiB`;
  return `${trim(bytes / (1024 * 1024))} MiB`;
}

function trim(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '');
}

/**
 * The offset of the first collection nested deeper than `limit` in a parsed (not yet composed) YAML
 * token, or undefined. Walks with an explicit stack: the input may nest far deeper than the call
 * stack allows, which is the very thing being checked.
 */
export function tooDeepAt(root: CST.Token | undefined, limit: number): number | undefined {
  const stack: Array<[CST.Token, number]> = root ? [[root, 0]] : [];
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth + 1 > limit) return token.offset;
    for (const item of token.items) {
      if ('key' in item && item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

export interface DataProblem {
  /** Path of the offending value inside the document, e.g. `spec.static`. */
  path: string;
  message: string;
}

interface Frame {
  value: unknown;
  parent?: Frame;
  key?: PropertyKey;
  exit?: true;
}

/**
 * Checks that a composed document is plain JSON data: objects, lists, strings, numbers, booleans
 * and null, at most `maxValues` of them once aliases are expanded. Refused:
 * - a `__proto__` key: harmless as yaml builds it, but one careless `obj[key] = v` downstream turns
 *   it into prototype pollution, and no Kubernetes field is called that;
 * - values of YAML tags that are not JSON (`!!binary` → Buffer, `!!set` → Set, ...);
 * - aliases that make a cycle (`&a [*a]`), which every consumer of the object would walk forever;
 * - aliases that multiply a document beyond `maxValues` (each alias is one shared object, but
 *   whatever walks or prints the document pays for every copy).
 * Walks with an explicit stack, for the same reason as `tooDeepAt`.
 */
export function checkJsonData(value: unknown, maxValues: number): DataProblem | undefined {
  const ancestors = new Set<object>();
  const stack: Frame[] = [{ value }];
  let values = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const current = frame.value;
    if (frame.exit) {
      ancestors.delete(current as object);
      continue;
    }
    if (++values > maxValues) {
      return { path: pathOf(frame), message: `the document holds more than ${maxValues} values once its aliases are expanded` };
    }
    if (typeof current !== 'object' || current === null) {
      if (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean' || current === null) continue;
      return { path: pathOf(frame), message: `a ${typeof current} is not JSON data` };
    }
    if (ancestors.has(current)) {
      return { path: pathOf(frame), message: 'an alias here refers to a map or list that contains it (a cycle)' };
    }
    const isArray = Array.isArray(current);
    if (!isArray && Object.getPrototypeOf(current) !== Object.prototype) {
      const kind = (current as { constructor?: { name?: unknown } }).constructor?.name;
      const what = typeof kind === 'string' && kind !== '' ? `a ${kind}` : 'this value';
      return { path: pathOf(frame), message: `${what} is not JSON data (from a YAML tag such as !!binary or !!set?)` };
    }
    ancestors.add(current);
    stack.push({ value: current, exit: true });
    const entries: Array<[PropertyKey, unknown]> = isArray ? (current as unknown[]).map((v, i) => [i, v]) : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (key === '__proto__') return { path: pathOf({ value: child, parent: frame, key }), message: 'a key named "__proto__" is not allowed' };
      stack.push({ value: child, parent: frame, key });
    }
  }
  return undefined;
}

function pathOf(frame: Frame): string {
  const segments: PropertyKey[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) segments.unshift(f.key!);
  return joinPath('', segments);
}

/**
 * The offset of the first key that appears twice in one map of a composed document, or undefined.
 * Keys count as the same when they become the same property (`1` and `"1"`), as they would once
 * converted to data, where the later would silently replace the earlier. The YAML library's own check
 * compares each key with every earlier one (a map of 100,000 keys takes minutes); this one keeps a set
 * per map. Keys that are collections or aliases are left to the library (no Kubernetes field is one).
 */
export function duplicateKeyAt(root: Node | null | undefined): number | undefined {
  const stack: unknown[] = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const keys = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          const name = String(key.value);
          if (keys.has(name)) return key.range?.[0];
          keys.add(name);
        }
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      // A loop, not a spread: a `kind: List` of 100,000 items would overflow the call stack.
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    }
  }
  return undefined;
}
