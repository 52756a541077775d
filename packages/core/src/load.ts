import type { Document } from 'yaml';
import type { Diagnostic, SourceLocation } from './diagnostics';
import { checkJsonData, duplicateKeyAt, formatBytes, LOAD_LIMITS, utf8Bytes, type LoadLimits } from './input-limits';
import { Lines, type Position } from './lines';
import { withPlainEnv } from './plain-env';
import { cleanObjectPrototype, PLAIN_DATA } from './plain-data';
import type { KindTable, KubeObject } from './resources';
import { composeAgain, yamlDocuments, type DocumentRange } from './yaml-documents';
import { conversionProblem, yamlProblem } from './yaml-messages';
import { MAX_NESTING } from './yaml-tokens';

/**
 * One text that objects were loaded from, kept for their positions: nothing per node is kept, only
 * the text and, per object, the range it was read from (docs/performance.md, "The YAML loader").
 * A position is found by composing that range again, when a diagnostic asks; the last range
 * composed is kept, since a diagnostic seldom comes alone.
 */
interface LoadedText {
  lines: Lines;
  last?: { range: Range; doc: Document.Parsed | undefined };
}

type Range = { start: number; end: number };

/** Where an object was read from: the range of its document, or of its item of a `kind: List`. */
const origins = new WeakMap<object, { from: LoadedText; range: Range }>();

/** The 1-based line and column of `spec.static.hosts[0]` in a loaded object's source, when known. */
export function positionOf(object: KubeObject, path: string): Position | undefined {
  const origin = origins.get(object);
  const segments = pathSegments(path);
  if (!origin || segments.length === 0) return undefined;
  const { from, range } = origin;
  if (from.last?.range !== range) from.last = { range, doc: composeAgain(from.lines.text, range) };
  const doc = from.last.doc;
  // The nearest ancestor that exists: a missing field points at its parent.
  for (let n = segments.length; n > 0 && doc; n--) {
    const node = doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | null | undefined;
    if (node?.range) return from.lines.at(node.range[0]);
  }
  return undefined;
}

/** The 1-based line of `spec.static.hosts[0]` in a loaded object's source, when known. */
export function lineOf(object: KubeObject, path: string): number | undefined {
  return positionOf(object, path)?.line;
}

export interface LoadResult {
  objects: KubeObject[];
  diagnostics: Diagnostic[];
}

/** Limits default to `LOAD_LIMITS`; see there for why each is what it is. */
export interface LoadOptions extends Partial<LoadLimits> {
  /** Name used in diagnostics; `<input>` by default. */
  file?: string;
  /**
   * The kinds to keep, with their apiVersions; other objects are skipped with an `unknown-kind`
   * warning. `translateText` passes its translator's `kinds` (core's and its plugins'); pass
   * `translator.kinds` or `acceptedKinds(plugins)` when loading for a translator yourself. Without
   * it, every object with a well-formed envelope is kept.
   */
  kinds?: KindTable;
}

/**
 * Parses YAML or JSON text holding any number of Kubernetes-style objects (`---` separated, or
 * `kind: List`). Never throws: malformed input becomes diagnostics that name file, document and line.
 */
export function loadText(text: string, options: LoadOptions = {}): LoadResult {
  const file = options.file ?? '<input>';
  const limits = limitsOf(options);
  const result: LoadResult = { objects: [], diagnostics: [] };
  const inputBytes = utf8Bytes(text, limits.maxInputBytes);
  if (inputBytes > limits.maxInputBytes) {
    const message = `the input is ${formatBytes(inputBytes)}, more than the limit of ${formatBytes(limits.maxInputBytes)}: nothing read`;
    result.diagnostics.push(loadError({ file, document: 0 }, message, 'input-too-large'));
    return result;
  }
  // A byte-order mark may start any document (files concatenated with `cat`), not only the text;
  // YAML only skips the first, and a later one would become part of the first key.
  if (text.includes('\uFEFF')) text = text.replace(/(^|\n)\uFEFF/g, '$1');
  const json = loadJson(text, file, limits, options.kinds);
  if (json) return json;
  return withPlainEnv(() => loadYaml(text, file, limits, options.kinds));
}

/** Text that is not one JSON value: YAML documents, read one at a time. */
function loadYaml(text: string, file: string, limits: LoadLimits, kinds: KindTable | undefined): LoadResult {
  const result: LoadResult = { objects: [], diagnostics: [] };
  const loaded: LoadedText = { lines: new Lines(text) };
  const at = (offset: number | undefined): Position | Record<string, never> => (offset === undefined ? {} : loaded.lines.at(offset));
  try {
    // One document at a time, each dropped once read (docs/performance.md, "The YAML loader").
    for (const event of yamlDocuments(text, limits)) {
      if (event.type === 'too-many') {
        const message = `the input holds more than ${limits.maxDocuments} YAML documents (the maxDocuments limit): nothing read`;
        return { objects: [], diagnostics: [loadError({ file, document: 0 }, message, 'too-many-documents')] };
      }
      if (event.type === 'stream-errors') {
        // Errors outside any document (a stray `...`) have no document to hang on.
        for (const error of event.errors) {
          const position = at(error.pos[0]);
          result.diagnostics.push(loadError({ file, document: 0, ...position }, `invalid YAML ${yamlProblem(error.code, position.column)}`));
        }
        continue;
      }
      const source: SourceLocation = { file, document: event.index };
      if (event.type === 'too-large') {
        const message = `the document is ${formatBytes(event.bytes)}, more than the limit of ${formatBytes(limits.maxDocumentBytes)}: refused`;
        result.diagnostics.push(loadError({ ...source, ...at(event.start) }, message, 'document-too-large'));
        continue;
      }
      if (event.type === 'too-deep') {
        const message = `maps and lists nest more than ${limits.maxDepth} levels deep: document refused`;
        result.diagnostics.push(loadError({ ...source, ...at(event.at) }, message, 'too-deep'));
        continue;
      }
      readDocument(event.doc, event, source, loaded, limits, kinds, result);
    }
  } catch {
    // Not expected from the YAML library; its message could quote the input, so it is not shown.
    return { objects: [], diagnostics: [loadError({ file, document: 0 }, 'cannot parse: the YAML parser failed')] };
  }
  return result;
}

/** One composed document: its problems, or its objects, which remember where they came from. */
function readDocument(
  doc: Document.Parsed,
  documentRange: DocumentRange,
  source: SourceLocation,
  loaded: LoadedText,
  limits: LoadLimits,
  kinds: KindTable | undefined,
  result: LoadResult,
): void {
  const at = (offset: number | undefined): Position | Record<string, never> => (offset === undefined ? {} : loaded.lines.at(offset));
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const position = at(error.pos[0]);
      result.diagnostics.push(loadError({ ...source, ...position }, `invalid YAML ${yamlProblem(error.code, position.column)}`));
    }
    return;
  }
  const twice = duplicateKeyAt(doc.contents);
  if (twice !== undefined) {
    const position = at(twice);
    result.diagnostics.push(loadError({ ...source, ...position }, `invalid YAML ${yamlProblem('DUPLICATE_KEY', position.column)}`));
    return;
  }
  for (const warning of doc.warnings) {
    const position = at(warning.pos[0]);
    result.diagnostics.push({
      ...loadError({ ...source, ...position }, `YAML ${yamlProblem(warning.code, position.column)}`),
      severity: 'warning',
      code: 'yaml-warning',
    });
  }
  const start = doc.contents?.range ? { ...source, ...at(doc.contents.range[0]) } : source;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    result.diagnostics.push(loadError(start, `cannot read document: ${conversionProblem(error, limits.maxAliasCount)}`));
    return;
  }
  const problem = checkJsonData(value, limits.maxValues);
  if (problem) {
    const position = nodeRange(doc, pathSegments(problem.path), false) ?? doc.contents?.range;
    result.diagnostics.push({
      ...loadError({ ...source, ...at(position?.[0]) }, `${problem.message}: document refused`, 'unsafe-input'),
      ...(problem.path ? { path: problem.path } : {}),
    });
    return;
  }
  // Items of a `kind: List` point at their own line, and each is composed alone for its positions.
  const items = isListOf(value, kinds) ? (value as { items: unknown[] }).items.map((_, i) => nodeRange(doc, ['items', i], true)) : undefined;
  const itemAt = (item: number) => {
    const range = items?.[item];
    return range ? loaded.lines.at(range[0]) : undefined;
  };
  // toJS may hand out one object twice (an alias): each item is completed as a copy.
  readValue(value, start, '', result, kinds, false, itemAt, (object, item) => {
    const range: [number, number] | undefined = items ? (item === undefined ? undefined : items[item]) : [documentRange.start, documentRange.end];
    if (range) origins.set(object, { from: loaded, range: { start: range[0], end: range[1] } });
  });
}

/**
 * Text that is one JSON value, read with `JSON.parse` (docs/performance.md, "JSON input": tens of
 * times faster than the YAML parser, and nothing kept per object). Lines are recovered only when a
 * diagnostic asks for one, by reading the text as YAML then. Undefined — the YAML path then reads
 * the text and words every problem as usual — unless the YAML path would take the text as it is: no
 * duplicate key (a JSON parser keeps the last silently), no `__proto__` key, within the limits.
 */
function loadJson(text: string, file: string, limits: LoadLimits, kinds: KindTable | undefined): LoadResult | undefined {
  const start = text.search(/\S/);
  if (start < 0 || (text[start] !== '{' && text[start] !== '[')) return undefined;
  // An enumerable key on `Object.prototype` (a polluted prototype) would be counted by `countKeys`:
  // the YAML path reads such a text.
  if (!cleanObjectPrototype()) return undefined;
  const tooLarge = utf8Bytes(text, limits.maxDocumentBytes) > limits.maxDocumentBytes;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // One JSON value is one YAML document: refused here with the YAML path's words and position, without
  // the YAML parser's syntax tree of the whole text first (seconds and hundreds of MB at the input limit).
  if (tooLarge) {
    // The YAML path's document starts at the beginning of the line the value starts on (blank lines
    // before it are not the document's: a text over the limit only by those goes that way).
    const lineStart = text.lastIndexOf('\n', start) + 1;
    const bytes = utf8Bytes(text.slice(lineStart), 0);
    if (bytes <= limits.maxDocumentBytes) return undefined;
    const message = `the document is ${formatBytes(bytes)}, more than the limit of ${formatBytes(limits.maxDocumentBytes)}: refused`;
    return { objects: [], diagnostics: [loadError({ file, document: 0, ...new Lines(text).at(lineStart) }, message, 'document-too-large')] };
  }
  // `checkJsonData` is for what YAML adds to JSON (tags, aliases and what they expand to): JSON text
  // has none of it, so its values are bounded by its bytes, and `maxValues` is not applied.
  // List items point at their own line, found by the same scan of the text (no YAML reading); each
  // is composed alone, as YAML, only when a diagnostic asks for a position inside it.
  const scan = scanJson(text, isListOf(value, kinds));
  if (countKeys(value, 0, limits.maxDepth) !== scan.colons) return undefined;
  const result: LoadResult = { objects: [], diagnostics: [] };
  const loaded: LoadedText = { lines: new Lines(text) };
  const { items } = scan;
  const itemAt = (item: number) => {
    const range = items?.[item];
    return range ? loaded.lines.at(range[0]) : undefined;
  };
  const whole: Range = { start, end: text.length };
  // `JSON.parse` made every object afresh, so the loader may complete them in place (`owned`).
  readValue(value, { file, document: 0, ...loaded.lines.at(start) }, '', result, kinds, true, itemAt, (object, item) => {
    // As on the YAML path: `List` and typed lists (`BackendList`) alike.
    if (!items) origins.set(object, { from: loaded, range: whole });
    else if (item !== undefined && items[item]) origins.set(object, { from: loaded, range: { start: items[item][0], end: items[item][1] } });
  });
  return result;
}

/**
 * Keys in all objects of a parsed JSON value; -1 for a `__proto__` key or nesting at the depth limit.
 * Recursive: the depth is bounded by `maxDepth` (at most `MAX_NESTING`).
 */
function countKeys(value: unknown, depth: number, maxDepth: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth >= maxDepth) return -1;
  let keys = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner = countKeys(value[i], depth + 1, maxDepth);
      if (inner < 0) return -1;
      keys += inner;
    }
    return keys;
  }
  // `for in`, not a list of `Object.keys` per object (75 MB at 100k Backends): `JSON.parse` makes
  // plain objects, whose inherited keys are `Object.prototype`'s, none (`loadJson` checked).
  for (const key in value) {
    if (key === '__proto__') return -1;
    const inner = countKeys((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (inner < 0) return -1;
    keys += inner + 1;
  }
  return keys;
}

/**
 * One pass over JSON text that `JSON.parse` accepted. `colons`: the colons outside strings, each of
 * which follows a key, so the keys as written. `items` (with `list`): where each element of the
 * top-level object's `items` array starts and ends (offsets), the key `items` at depth 1, then each
 * element at depth 2.
 */
function scanJson(text: string, list: boolean): { colons: number; items: Array<[number, number]> | undefined } {
  const ranges: Array<[number, number]> = [];
  let colons = 0;
  let depth = 0;
  let lastString: string | undefined;
  let inItems = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 32 || c === 9 || c === 13) continue;
    if (inItems && depth === 2 && expectElement && c !== 93) {
      ranges.push([i, i]);
      expectElement = false;
    }
    if (c === 34) {
      // The closing quote: the next one not escaped (preceded by an even run of backslashes).
      let end = text.indexOf('"', i + 1);
      while (end > 0 && escaped(text, end)) end = text.indexOf('"', end + 1);
      // Not for text JSON.parse took; never a loop that does not end.
      if (end < 0) break;
      if (depth === 1 && list) lastString = text.slice(i + 1, end);
      i = end;
    } else if (c === 58) {
      colons++;
    } else if (c === 123 || c === 91) {
      depth++;
      if (list && c === 91 && depth === 2 && lastString === 'items' && ranges.length === 0 && !inItems) inItems = expectElement = true;
    } else if (c === 125 || c === 93) {
      if (c === 93 && inItems && depth === 2) {
        inItems = false;
        if (ranges.length > 0) ranges.at(-1)![1] = i;
      }
      depth--;
    } else if (c === 44 && inItems && depth === 2) {
      ranges.at(-1)![1] = i;
      expectElement = true;
    }
  }
  return { colons, items: list ? ranges : undefined };
}

/** Whether the quote at `at` is escaped: an odd number of backslashes before it. */
function escaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
  return backslashes % 2 === 1;
}

/** The range of the node at a path; with `exact` unset, of its nearest ancestor that exists. */
function nodeRange(doc: Document.Parsed, segments: PropertyKey[], exact: boolean): [number, number] | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true)) as { range?: [number, number, number] } | null | undefined;
    if (node?.range) return [node.range[0], node.range[1]];
    if (exact) return undefined;
  }
  return undefined;
}

function limitsOf(options: LoadOptions): LoadLimits {
  const limits: LoadLimits = { ...LOAD_LIMITS };
  for (const key of Object.keys(LOAD_LIMITS) as Array<keyof LoadLimits>) {
    const value = options[key];
    if (typeof value === 'number' && !Number.isNaN(value)) limits[key] = value;
  }
  limits.maxDepth = Math.min(limits.maxDepth, MAX_NESTING);
  return limits;
}

/** `spec.hosts[0]["a.b"]` → `['spec', 'hosts', 0, 'a.b']`. */
function pathSegments(path: string): PropertyKey[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? (JSON.parse(`"${m[3]}"`) as string) : m[1]!,
  );
}

function readValue(
  value: unknown,
  source: SourceLocation,
  path: string,
  result: LoadResult,
  kinds: KindTable | undefined,
  /** The value's objects are the loader's own (made by `JSON.parse`): completed in place, not copied. */
  owned: boolean,
  /** The position of the top-level List's item `i`, when known. */
  locate: (item: number) => Position | undefined,
  /** Told of each object kept, with its index in the top-level `items` when it is a List's item. */
  kept: (object: KubeObject, item: number | undefined) => void,
  item?: number,
): void {
  if (value === null || value === undefined) return; // an empty document
  if (!isPlainObject(value)) {
    result.diagnostics.push({
      severity: 'warning',
      code: 'not-an-object',
      message: `document is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not an object: skipped`,
      source,
      ...(path ? { path } : {}),
    });
    return;
  }
  const listOf = typeof value.kind === 'string' ? listKind(value.kind, kinds) : undefined;
  if (listOf !== undefined && Array.isArray(value.items)) {
    // Only the top-level List's items have positions of their own (a List inside a List is rare).
    const nested = path !== '';
    const itemKept = nested ? (object: KubeObject) => kept(object, undefined) : kept;
    const items: unknown[] = value.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      // The API server leaves kind and apiVersion out of the items of a typed list (`BackendList`).
      const filled = listOf && isPlainObject(item) ? { kind: listOf, apiVersion: value.apiVersion, ...item } : item;
      const position = nested ? undefined : locate(i);
      readValue(filled, { ...source, ...position }, `${path}items[${i}]`, result, kinds, owned, locate, itemKept, nested ? undefined : i);
    }
    return;
  }
  const object = readEnvelope(value, source, path, result.diagnostics, kinds, owned);
  if (!object) return;
  // checkJsonData saw every value of the document: translations need not walk it again.
  PLAIN_DATA.add(object);
  result.objects.push(object);
  kept(object, item);
}

function isListOf(value: unknown, kinds: KindTable | undefined): boolean {
  return isPlainObject(value) && typeof value.kind === 'string' && listKind(value.kind, kinds) !== undefined && Array.isArray(value.items);
}

/**
 * `List` → `''` (items say their kind); `BackendList` → `Backend` when `Backend` is one of the kinds
 * read (core's and the plugins' declared kinds; any kind when the loader keeps every object), as
 * `kubectl get --raw` and the API server return them; undefined for any other kind.
 */
function listKind(kind: string, kinds: KindTable | undefined): string | undefined {
  if (kind === 'List') return '';
  if (!kind.endsWith('List')) return undefined;
  const item = kind.slice(0, -'List'.length);
  if (item === '') return undefined;
  return kinds === undefined || Object.hasOwn(kinds, item) ? item : undefined;
}

function readEnvelope(
  value: Record<string, unknown>,
  source: SourceLocation,
  path: string,
  diagnostics: Diagnostic[],
  kinds: KindTable | undefined,
  owned: boolean,
): KubeObject | undefined {
  const { apiVersion, kind, metadata } = value;
  if (typeof kind !== 'string' || kind === '') return envelopeProblem(diagnostics, source, path, 'kind', 'kind must be a non-empty string');
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    return envelopeProblem(diagnostics, source, path, 'apiVersion', 'apiVersion must be a non-empty string');
  }
  // Own keys only: a kind named `constructor` is not a kind anyone declared.
  const accepted = kinds && Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
  if (kinds && (!accepted || !accepted.includes(apiVersion))) {
    // A kind read here (core's or a plugin's, docs/plugins.md), in one of its API groups but at a
    // version not read, or a read kind in the wrong case, is a mistake to report; the same kind name
    // in another group (gateway.envoyproxy.io's Backend) and other kinds are someone else's, skipped
    // (docs/cli.md).
    const group = (version: string) => (version.includes('/') ? version.slice(0, version.lastIndexOf('/')) : '');
    const wrongVersion = accepted?.some((known) => group(known) === group(apiVersion)) ?? false;
    const differentCase = accepted ? undefined : Object.keys(kinds).find((known) => known.toLowerCase() === kind.toLowerCase());
    const message = accepted
      ? `${kind} with apiVersion ${apiVersion} is not supported (expected ${accepted.join(' or ')})${wrongVersion ? '' : ': skipped'}`
      : differentCase
        ? `kind ${kind} is not known; kinds are case-sensitive (did you mean ${differentCase}?)`
        : `kind ${kind} (${apiVersion}) is not one backendkit reads: skipped`;
    diagnostics.push({
      severity: wrongVersion || differentCase ? 'error' : 'warning',
      code: wrongVersion ? 'unsupported-api-version' : differentCase ? 'unknown-kind-case' : 'unknown-kind',
      message,
      source,
      ...(path ? { path } : {}),
    });
    return undefined;
  }
  if (!isPlainObject(metadata)) return envelopeProblem(diagnostics, source, path, 'metadata', 'metadata must be an object');
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    return envelopeProblem(diagnostics, source, path, 'metadata.name', 'metadata.name must be a non-empty string');
  }
  if (metadata.namespace !== undefined && (typeof metadata.namespace !== 'string' || metadata.namespace === '')) {
    return envelopeProblem(diagnostics, source, path, 'metadata.namespace', 'metadata.namespace must be a non-empty string');
  }
  if (!isStringMap(metadata.labels)) return envelopeProblem(diagnostics, source, path, 'metadata.labels', 'metadata.labels must map strings to strings');
  if (!isStringMap(metadata.annotations)) {
    return envelopeProblem(diagnostics, source, path, 'metadata.annotations', 'metadata.annotations must map strings to strings');
  }
  const namespace = (metadata.namespace as string | undefined) ?? 'default';
  if (!owned) return { ...value, apiVersion, kind, metadata: { ...metadata, name: metadata.name, namespace }, source };
  // The same object the copy above would be, keys in the same order (a key set again keeps its
  // place, a new one comes last), without copying every object of the input (docs/performance.md,
  // "JSON input").
  metadata.namespace = namespace;
  value.source = source;
  return value as unknown as KubeObject;
}

/** Absent, or an object whose own values are all strings (labels, annotations). */
function isStringMap(map: unknown): boolean {
  if (map === undefined) return true;
  if (!isPlainObject(map)) return false;
  for (const key in map) if (Object.hasOwn(map, key) && typeof map[key] !== 'string') return false;
  return true;
}

function envelopeProblem(diagnostics: Diagnostic[], source: SourceLocation, path: string, field: string, message: string): undefined {
  diagnostics.push({ ...loadError(source, message), path: path ? `${path}.${field}` : field });
  return undefined;
}

function loadError(source: SourceLocation, message: string, code = 'invalid-input'): Diagnostic {
  return { severity: 'error', code, message, source };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
