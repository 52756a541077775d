import { Composer, type CST, type Document, type LineCounter } from 'yaml';
import type { Diagnostic, SourceLocation } from './diagnostics';
import { checkJsonData, duplicateKeyAt, formatBytes, LOAD_LIMITS, tooDeepAt, utf8Bytes, type LoadLimits } from './input-limits';
import { PLAIN_DATA } from './plain-data';
import type { KindTable, KubeObject } from './resources';
import { conversionProblem, yamlProblem } from './yaml-messages';
import { countLines, MAX_NESTING, parseYamlTokens } from './yaml-tokens';

const locators = new WeakMap<object, (segments: PropertyKey[]) => number | undefined>();

/** The 1-based line of `spec.static.hosts[0]` in a loaded object's source, when known. */
export function lineOf(object: KubeObject, path: string): number | undefined {
  const segments = pathSegments(path);
  // The nearest ancestor that exists: a missing field points at its parent.
  for (let n = segments.length; n > 0; n--) {
    const line = locators.get(object)?.(segments.slice(0, n));
    if (line !== undefined) return line;
  }
  return undefined;
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
      const { line, col } = lineCounter.linePos(error.pos[0]);
      result.diagnostics.push(loadError({ file, document: 0, line }, `invalid YAML ${yamlProblem(error.code, col)}`));
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
        const { line, col } = lineCounter.linePos(error.pos[0]);
        result.diagnostics.push(loadError({ ...source, line }, `invalid YAML ${yamlProblem(error.code, col)}`));
      }
      return;
    }
    const twice = duplicateKeyAt(doc.contents);
    if (twice !== undefined) {
      const { line, col } = lineCounter.linePos(twice);
      result.diagnostics.push(loadError({ ...source, line }, `invalid YAML ${yamlProblem('DUPLICATE_KEY', col)}`));
      return;
    }
    for (const warning of doc.warnings) {
      const { line, col } = lineCounter.linePos(warning.pos[0]);
      result.diagnostics.push({ ...loadError({ ...source, line }, `YAML ${yamlProblem(warning.code, col)}`), severity: 'warning', code: 'yaml-warning' });
    }
    const at = doc.contents?.range ? { ...source, line: lineCounter.linePos(doc.contents.range[0]).line } : source;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (error) {
      result.diagnostics.push(loadError(at, `cannot read document: ${conversionProblem(error, limits.maxAliasCount)}`));
      return;
    }
    const problem = checkJsonData(value, limits.maxValues);
    if (problem) {
      const line = nodeLine(doc, pathSegments(problem.path), lineCounter) ?? at.line;
      result.diagnostics.push({
        ...loadError({ ...source, ...(line ? { line } : {}) }, `${problem.message}: document refused`, 'unsafe-input'),
        ...(problem.path ? { path: problem.path } : {}),
      });
      return;
    }
    const first = result.objects.length;
    readValue(value, at, '', result, options.kinds);
    result.objects.slice(first).forEach((object, i) => {
      const prefix = object.source?.document === index && isListOf(value, options.kinds) ? ['items', i] : [];
      locators.set(object, (segments) => nodeLine(doc, [...prefix, ...segments], lineCounter, true));
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
  readValue(value, { file, document: 0, line: lineAt(text, start) }, '', result, kinds);
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
  // As on the YAML path: `List` and typed lists (`BackendList`) alike.
  const list = isListOf(value, kinds);
  result.objects.forEach((object, i) => {
    const prefix = list ? ['items', i] : [];
    locators.set(object, (segments) => {
      const { doc, lineCounter } = yamlRead();
      return nodeLine(doc, [...prefix, ...segments], lineCounter, true);
    });
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

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The line of the node at a path; with `exact` unset, of its nearest ancestor that exists. */
function nodeLine(doc: Document.Parsed, segments: PropertyKey[], lineCounter: LineCounter, exact = false): number | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true)) as { range?: [number, number, number] } | null | undefined;
    if (node?.range) return lineCounter.linePos(node.range[0]).line;
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
    const line = (offset: number) => lineCounter.linePos(offset).line;
    const bytes = utf8Bytes(text.slice(token.offset, end), limits.maxDocumentBytes);
    let diagnostic: Diagnostic | undefined;
    if (bytes > limits.maxDocumentBytes) {
      const message = `the document is ${formatBytes(bytes)}, more than the limit of ${formatBytes(limits.maxDocumentBytes)}: refused`;
      diagnostic = loadError({ file, document: index, line: line(token.offset) }, message, 'document-too-large');
    } else {
      const deep = tooDeep.get(token) ?? tooDeepAt(token.value, limits.maxDepth);
      if (deep !== undefined) {
        const message = `maps and lists nest more than ${limits.maxDepth} levels deep: document refused`;
        diagnostic = loadError({ file, document: index, line: line(deep) }, message, 'too-deep');
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

function readValue(value: unknown, source: SourceLocation, path: string, result: LoadResult, kinds: KindTable | undefined): void {
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
      readValue(filled, source, `${path}items[${i}]`, result, kinds);
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
    diagnostics.push({
      severity: 'warning',
      code: 'unknown-kind',
      message: accepted
        ? `${kind} with apiVersion ${apiVersion} is not supported (expected ${accepted.join(' or ')}): skipped`
        : `kind ${kind} (${apiVersion}) is not one backendkit reads: skipped`,
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
