import { Composer, type CST, type Document, type LineCounter } from 'yaml';
import type { Diagnostic, SourceLocation } from './diagnostics';
import { checkJsonData, duplicateKeyAt, formatBytes, LOAD_LIMITS, tooDeepAt, utf8Bytes, type LoadLimits } from './input-limits';
import { PLAIN_DATA } from './plain-data';
import type { KindTable, KubeObject } from './resources';
import { conversionProblem, yamlProblem } from './yaml-messages';
import { countLines, MAX_NESTING, parseYamlTokens } from './yaml-tokens';

type Position = { line: number; column: number };

const locators = new WeakMap<object, (segments: PropertyKey[]) => Position | undefined>();

/** The 1-based line and column of `spec.static.hosts[0]` in a loaded object's source, when known. */
export function positionOf(object: KubeObject, path: string): Position | undefined {
  const segments = pathSegments(path);
  // The nearest ancestor that exists: a missing field points at its parent.
  for (let n = segments.length; n > 0; n--) {
    const position = locators.get(object)?.(segments.slice(0, n));
    if (position !== undefined) return position;
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
  const lineCounter = countLines(text);
  let documents: Document.Parsed[];
  const refused = new Map<number, Diagnostic>();
  let composer: Composer;
  try {
    const { tokens, tooDeep, tooMany } = parseYamlTokens(text, limits.maxDepth, limits.maxDocuments);
    if (tooMany) {
      const message = `the input holds more than ${limits.maxDocuments} YAML documents (the maxDocuments limit): nothing read`;
      result.diagnostics.push(loadError({ file, document: 0 }, message, 'too-many-documents'));
      return result;
    }
    refuseOversized(tokens, tooDeep, text, limits, file, lineCounter, refused);
    // Keys are checked for duplicates below, in linear time (`duplicateKeyAt`).
    composer = new Composer({ uniqueKeys: false, logLevel: 'error' });
    documents = [...composer.compose(tokens)];
  } catch {
    // Not expected from the YAML library; its message could quote the input, so it is not shown.
    result.diagnostics.push(loadError({ file, document: 0 }, 'cannot parse: the YAML parser failed'));
    return result;
  }
  if (documents.length === 0) {
    // Errors outside any document (a stray `...`) have no document to hang on.
    for (const error of composer.streamInfo().errors) {
      result.diagnostics.push(
        loadError({ file, document: 0, ...at(lineCounter, error.pos[0]) }, `invalid YAML ${yamlProblem(error.code, at(lineCounter, error.pos[0]).column)}`),
      );
    }
  }
  documents.forEach((doc, index) => {
    const source: SourceLocation = { file, document: index };
    const refusal = refused.get(index);
    if (refusal) {
      result.diagnostics.push(refusal);
      return;
    }
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const position = at(lineCounter, error.pos[0]);
        result.diagnostics.push(loadError({ ...source, ...position }, `invalid YAML ${yamlProblem(error.code, position.column)}`));
      }
      return;
    }
    const twice = duplicateKeyAt(doc.contents);
    if (twice !== undefined) {
      const position = at(lineCounter, twice);
      result.diagnostics.push(loadError({ ...source, ...position }, `invalid YAML ${yamlProblem('DUPLICATE_KEY', position.column)}`));
      return;
    }
    for (const warning of doc.warnings) {
      const position = at(lineCounter, warning.pos[0]);
      result.diagnostics.push({
        ...loadError({ ...source, ...position }, `YAML ${yamlProblem(warning.code, position.column)}`),
        severity: 'warning',
        code: 'yaml-warning',
      });
    }
    const start = doc.contents?.range ? { ...source, ...at(lineCounter, doc.contents.range[0]) } : source;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (error) {
      result.diagnostics.push(loadError(start, `cannot read document: ${conversionProblem(error, limits.maxAliasCount)}`));
      return;
    }
    const problem = checkJsonData(value, limits.maxValues);
    if (problem) {
      const position = nodePosition(doc, pathSegments(problem.path), lineCounter) ?? at(lineCounter, doc.contents?.range?.[0]);
      result.diagnostics.push({
        ...loadError({ ...source, ...position }, `${problem.message}: document refused`, 'unsafe-input'),
        ...(problem.path ? { path: problem.path } : {}),
      });
      return;
    }
    const first = result.objects.length;
    // Items of a `kind: List` point at their own line.
    const locate = (segments: PropertyKey[]) => nodePosition(doc, segments, lineCounter, true);
    readValue(value, start, '', result, options.kinds, locate);
    result.objects.slice(first).forEach((object, i) => {
      const prefix = object.source?.document === index && isListOf(value, options.kinds) ? ['items', i] : [];
      locators.set(object, (segments) => locate([...prefix, ...segments]));
    });
  });
  return result;
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
  if (utf8Bytes(text, limits.maxDocumentBytes) > limits.maxDocumentBytes) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // `checkJsonData` is for what YAML adds to JSON (tags, aliases and what they expand to): JSON text
  // has none of it, so its values are bounded by its bytes, and `maxValues` is not applied.
  if (countKeys(value, limits.maxDepth) !== colonsOutsideStrings(text)) return undefined;
  const result: LoadResult = { objects: [], diagnostics: [] };
  let read: { doc: Document.Parsed; lineCounter: LineCounter } | undefined;
  const yamlRead = () => {
    if (!read) {
      const lineCounter = countLines(text);
      const { tokens } = parseYamlTokens(text, limits.maxDepth);
      // No duplicate key reached here (counted above), so the library's quadratic check is not needed.
      read = { doc: [...new Composer({ uniqueKeys: false, logLevel: 'error' }).compose(tokens)][0]!, lineCounter };
    }
    return read;
  };
  const locate = (segments: PropertyKey[]) => {
    const { doc, lineCounter } = yamlRead();
    return nodePosition(doc, segments, lineCounter, true);
  };
  // List items point at their own line, found by one scan of the text (no YAML reading).
  const items = isListOf(value, kinds) ? jsonItemPositions(text) : [];
  const itemAt = (segments: PropertyKey[]) =>
    segments.length === 2 && segments[0] === 'items' && typeof segments[1] === 'number' ? items[segments[1]] : undefined;
  readValue(value, { file, document: 0, ...positionAt(text, start) }, '', result, kinds, itemAt);
  // As on the YAML path: `List` and typed lists (`BackendList`) alike.
  const list = isListOf(value, kinds);
  result.objects.forEach((object, i) => {
    const prefix = list ? ['items', i] : [];
    locators.set(object, (segments) => locate([...prefix, ...segments]));
  });
  return result;
}

/** Keys in all objects of a parsed JSON value; -1 for a `__proto__` key or nesting at the depth limit. */
function countKeys(value: unknown, maxDepth: number): number {
  let keys = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= maxDepth) return -1;
    if (Array.isArray(item)) {
      for (const element of item) stack.push([element, depth + 1]);
      continue;
    }
    for (const key of Object.keys(item)) {
      if (key === '__proto__') return -1;
      keys++;
      stack.push([(item as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return keys;
}

/** In JSON text, a colon outside a string follows a key: so this counts the keys as written. */
function colonsOutsideStrings(text: string): number {
  let colons = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 58) colons++;
  }
  return colons;
}

/**
 * Where each element of the top-level object's `items` array starts, in one pass over JSON text that
 * `JSON.parse` accepted: the key `items` at depth 1, then each element at depth 2.
 */
function jsonItemPositions(text: string): Position[] {
  const positions: Position[] = [];
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let lastString: string | undefined;
  let inItems = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    if (inItems && depth === 2 && expectElement && c !== 93) {
      positions.push({ line, column: i - lineStart + 1 });
      expectElement = false;
    }
    if (c === 34) {
      let end = i + 1;
      while (text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
      if (depth === 1) lastString = text.slice(i + 1, end);
      i = end;
    } else if (c === 123 || c === 91) {
      depth++;
      if (c === 91 && depth === 2 && lastString === 'items' && positions.length === 0 && !inItems) inItems = expectElement = true;
    } else if (c === 125 || c === 93) {
      if (c === 93 && inItems && depth === 2) inItems = false;
      depth--;
    } else if (c === 44 && inItems && depth === 2) expectElement = true;
  }
  return positions;
}

function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The position of the node at a path; with `exact` unset, of its nearest ancestor that exists. */
function nodePosition(doc: Document.Parsed, segments: PropertyKey[], lineCounter: LineCounter, exact = false): Position | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true)) as { range?: [number, number, number] } | null | undefined;
    if (node?.range) return at(lineCounter, node.range[0]) as Position;
    if (exact) return undefined;
  }
  return undefined;
}

/** 1-based line and column of an offset; nothing when the offset is unknown. */
function at(lineCounter: LineCounter, offset: number | undefined): Position | Record<string, never> {
  if (offset === undefined) return {};
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
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

/**
 * Documents too large or too deeply nested are refused before the YAML library composes them (it
 * recurses once per nesting level). A refused document is emptied, so that the documents after it
 * keep their numbers.
 */
function refuseOversized(
  tokens: CST.Token[],
  tooDeep: ReadonlyMap<CST.Document, number>,
  text: string,
  limits: LoadLimits,
  file: string,
  lineCounter: LineCounter,
  refused: Map<number, Diagnostic>,
): void {
  const starts = tokens.flatMap((token, i) => (token.type === 'document' ? [i] : []));
  starts.forEach((tokenIndex, index) => {
    const token = tokens[tokenIndex] as CST.Document;
    const end = starts[index + 1] !== undefined ? tokens[starts[index + 1]!]!.offset : text.length;
    const line = (offset: number) => at(lineCounter, offset);
    const bytes = utf8Bytes(text.slice(token.offset, end), limits.maxDocumentBytes);
    let diagnostic: Diagnostic | undefined;
    if (bytes > limits.maxDocumentBytes) {
      const message = `the document is ${formatBytes(bytes)}, more than the limit of ${formatBytes(limits.maxDocumentBytes)}: refused`;
      diagnostic = loadError({ file, document: index, ...line(token.offset) }, message, 'document-too-large');
    } else {
      const deep = tooDeep.get(token) ?? tooDeepAt(token.value, limits.maxDepth);
      if (deep !== undefined) {
        const message = `maps and lists nest more than ${limits.maxDepth} levels deep: document refused`;
        diagnostic = loadError({ file, document: index, ...line(deep) }, message, 'too-deep');
      }
    }
    if (!diagnostic) return;
    refused.set(index, diagnostic);
    tokens[tokenIndex] = { ...token, value: undefined };
  });
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
  locate: (segments: PropertyKey[]) => Position | undefined,
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
    value.items.forEach((item, i) => {
      // The API server leaves kind and apiVersion out of the items of a typed list (`BackendList`).
      const filled = listOf && isPlainObject(item) ? { kind: listOf, apiVersion: value.apiVersion, ...item } : item;
      const itemPath = [...pathSegments(path), 'items', i];
      readValue(filled, { ...source, ...locate(itemPath) }, `${path}items[${i}]`, result, kinds, locate);
    });
    return;
  }
  const object = readEnvelope(value, source, path, result.diagnostics, kinds);
  if (!object) return;
  // checkJsonData saw every value of the document: translations need not walk it again.
  PLAIN_DATA.add(object);
  result.objects.push(object);
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
): KubeObject | undefined {
  const at = (field: string): string => (path ? `${path}.${field}` : field);
  const problem = (field: string, message: string): undefined => {
    diagnostics.push({ ...loadError(source, message), path: at(field) });
    return undefined;
  };
  const { apiVersion, kind, metadata } = value;
  if (typeof kind !== 'string' || kind === '') return problem('kind', 'kind must be a non-empty string');
  if (typeof apiVersion !== 'string' || apiVersion === '') return problem('apiVersion', 'apiVersion must be a non-empty string');
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
  if (!isPlainObject(metadata)) return problem('metadata', 'metadata must be an object');
  if (typeof metadata.name !== 'string' || metadata.name === '') return problem('metadata.name', 'metadata.name must be a non-empty string');
  if (metadata.namespace !== undefined && (typeof metadata.namespace !== 'string' || metadata.namespace === '')) {
    return problem('metadata.namespace', 'metadata.namespace must be a non-empty string');
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (map !== undefined && !(isPlainObject(map) && Object.values(map).every((v) => typeof v === 'string'))) {
      return problem(`metadata.${field}`, `metadata.${field} must map strings to strings`);
    }
  }
  const namespace = (metadata.namespace as string | undefined) ?? 'default';
  return { ...value, apiVersion, kind, metadata: { ...metadata, name: metadata.name, namespace }, source };
}

function loadError(source: SourceLocation, message: string, code = 'invalid-input'): Diagnostic {
  return { severity: 'error', code, message, source };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
