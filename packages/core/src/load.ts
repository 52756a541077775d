import { LineCounter, parseAllDocuments } from 'yaml';
import type { Diagnostic, SourceLocation } from './diagnostics';
import { KNOWN_KINDS, type KubeObject } from './resources';

const locators = new WeakMap<object, (segments: PropertyKey[]) => number | undefined>();

/** The 1-based line of `spec.static.hosts[0]` in a loaded object's source, when known. */
export function lineOf(object: KubeObject, path: string): number | undefined {
  const segments = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? (JSON.parse(`"${m[3]}"`) as string) : m[1]!,
  );
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

export interface LoadOptions {
  /** Name used in diagnostics; `<input>` by default. */
  file?: string;
  /** Anchors/aliases expanded per document before it is refused (YAML "billion laughs"). */
  maxAliasCount?: number;
}

/**
 * Parses YAML or JSON text holding any number of Kubernetes-style objects (`---` separated, or
 * `kind: List`). Never throws: malformed input becomes diagnostics that name file, document and line.
 */
export function loadText(text: string, options: LoadOptions = {}): LoadResult {
  const file = options.file ?? '<input>';
  const result: LoadResult = { objects: [], diagnostics: [] };
  const lineCounter = new LineCounter();
  let documents;
  try {
    documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    result.diagnostics.push(loadError({ file, document: 0 }, `cannot parse: ${messageOf(error)}`));
    return result;
  }
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((doc, index) => {
    const source: SourceLocation = { file, document: index };
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
        result.diagnostics.push(loadError({ ...source, line }, `invalid YAML: ${firstLine(error.message)}`));
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
    } catch (error) {
      result.diagnostics.push(loadError(source, `cannot read document: ${messageOf(error)}`));
      return;
    }
    const at = doc.contents?.range ? { ...source, line: lineCounter.linePos(doc.contents.range[0]).line } : source;
    const first = result.objects.length;
    readValue(value, at, '', result);
    result.objects.slice(first).forEach((object, i) => {
      const prefix = object.source?.document === index && value && (value as { kind?: unknown }).kind === 'List' ? ['items', i] : [];
      locators.set(object, (segments) => {
        const node = doc.getIn([...prefix, ...segments], true) as { range?: [number, number, number] } | undefined;
        return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
      });
    });
  });
  return result;
}

function readValue(value: unknown, source: SourceLocation, path: string, result: LoadResult): void {
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
  if (value.kind === 'List' && Array.isArray(value.items)) {
    value.items.forEach((item, i) => readValue(item, source, `${path}items[${i}]`, result));
    return;
  }
  const object = readEnvelope(value, source, path, result.diagnostics);
  if (object) result.objects.push(object);
}

function readEnvelope(
  value: Record<string, unknown>,
  source: SourceLocation,
  path: string,
  diagnostics: Diagnostic[],
): KubeObject | undefined {
  const at = (field: string): string => (path ? `${path}.${field}` : field);
  const problem = (field: string, message: string): undefined => {
    diagnostics.push({ ...loadError(source, message), path: at(field) });
    return undefined;
  };
  const { apiVersion, kind, metadata } = value;
  if (typeof kind !== 'string' || kind === '') return problem('kind', 'kind must be a non-empty string');
  if (typeof apiVersion !== 'string' || apiVersion === '') return problem('apiVersion', 'apiVersion must be a non-empty string');
  const accepted = KNOWN_KINDS[kind];
  if (!accepted || !accepted.includes(apiVersion)) {
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

function loadError(source: SourceLocation, message: string): Diagnostic {
  return { severity: 'error', code: 'invalid-input', message, source };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messageOf(error: unknown): string {
  return firstLine(error instanceof Error ? error.message : String(error));
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
