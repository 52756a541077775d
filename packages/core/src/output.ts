import type { JsonObject } from '@bufbuild/protobuf';
import type { CreateNodeOptions, DocumentOptions, SchemaOptions, ToStringOptions } from 'yaml';
import { yaml } from './yaml-lib';

const { Document, stringify } = yaml;
import type { RouteResult } from './routing';
import type { ResourceStatus } from './status';
import type { TranslationResult } from './result';

/** What `backendkit translate` prints: Envoy proto3 JSON plus statuses. */
export interface OutputDocument {
  clusters: JsonObject[];
  /** ClusterLoadAssignments of EDS clusters: one name with `TranslationResult.assignments` (docs/cli.md). */
  assignments: JsonObject[];
  statuses: ResourceStatus[];
  /** Present only when the input holds at least one route, so route-free output is unchanged. */
  routes?: RouteResult[];
  [section: string]: unknown;
}

export function toOutputDocument(result: TranslationResult): OutputDocument {
  return {
    // Already Envoy's proto3 JSON (docs/performance.md, "Clusters stay JSON").
    clusters: result.clusters,
    assignments: result.assignments,
    statuses: result.statuses,
    ...(result.routes.length > 0 ? { routes: result.routes } : {}),
  };
}

export function formatJson(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Pieces of about this many characters: few writes, and never the whole text at once. */
const CHUNK = 64 * 1024;
/** Elements of a list printed by one `JSON.stringify` (`formatJsonChunks`). */
const GROUP = 32;
/** What `JSON.stringify([[...]], null, 2)` prints before the first element and after the last. */
const RUN_START = '[\n  [';
const RUN_END = '\n  ]\n]';

/**
 * `formatJson(document)` in pieces, in order (docs/performance.md, "Output"): the same bytes, but
 * the text of one cluster at a time rather than the whole document's text beside the document.
 */
export function* formatJsonChunks(document: Record<string, unknown>): Generator<string> {
  const keys = Object.keys(document).filter((key) => printable(document[key]));
  if (keys.length === 0) {
    yield '{}\n';
    return;
  }
  let buffer = '{';
  for (let i = 0; i < keys.length; i++) {
    const value = document[keys[i]!];
    buffer += `${i === 0 ? '' : ','}\n  ${JSON.stringify(keys[i])}: `;
    if (!Array.isArray(value) || value.length === 0) {
      buffer += indent(JSON.stringify(value, null, 2), '  ');
      continue;
    }
    buffer += '[';
    for (let j = 0; j < value.length; j += GROUP) {
      // A run of elements printed inside two arrays comes out indented as in the document, each
      // element after `\n    ` and the next after a comma: only the two brackets' lines are cut
      // off, where indenting each element's text again (a replace per line) cost a third of printing.
      const text = JSON.stringify([value.slice(j, j + GROUP)], null, 2);
      buffer += `${j === 0 ? '' : ','}${text.slice(RUN_START.length, text.length - RUN_END.length)}`;
      if (buffer.length >= CHUNK) {
        yield buffer;
        buffer = '';
      }
    }
    buffer += '\n  ]';
  }
  yield `${buffer}\n}\n`;
}

/** The most elements one kept text covers: a change costs at most this many `JSON.stringify` calls. */
const BLOCK = 256;

/** A run of consecutive elements of a list, and the text they print as, joined by commas. */
interface Block {
  readonly elements: readonly unknown[];
  readonly text: string;
}

/** Kept texts, each under the first element of its run, for as long as that element lives (`jsonText`). */
const BLOCKS = new WeakMap<object, Block>();

/**
 * `JSON.stringify(document)`, the same bytes, with the text of runs of the document's arrays' elements
 * (clusters, assignments, statuses) kept for as long as they live (docs/performance.md, "Printing
 * again"). An incremental translator hands back the very objects of what did not change, so printing
 * its next result is mostly joining texts already made: one per run of up to 256 elements, since
 * joining 400,000 small texts costs twice what joining their 1,600 runs does. The elements must not
 * change once printed: results are read-only.
 */
export function jsonText(document: Record<string, unknown>): string {
  // Every piece of the document in one list, joined once: joining each list first and then the
  // document would copy the whole text twice (docs/performance.md, "Printing again").
  const pieces: string[] = ['{'];
  for (const key of Object.keys(document)) {
    const value = document[key];
    if (!printable(value)) continue;
    if (pieces.length > 1) pieces.push(',');
    pieces.push(JSON.stringify(key), ':');
    if (Array.isArray(value)) {
      pieces.push('[');
      listTexts(value, pieces);
      pieces.push(']');
    } else {
      pieces.push(JSON.stringify(value));
    }
  }
  pieces.push('}');
  return pieces.join('');
}

/**
 * A list's elements' texts, comma-separated, onto `pieces`: the runs kept last time where the same
 * elements are still in the same order. A new run ends where a kept one starts, so after an insertion
 * or removal only the run around it is printed again and the ones after it line up as before.
 */
function listTexts(list: readonly unknown[], pieces: string[]): void {
  let i = 0;
  while (i < list.length) {
    if (i > 0) pieces.push(',');
    const first = list[i];
    const kept = isObject(first) ? BLOCKS.get(first) : undefined;
    if (kept && sameRun(list, i, kept.elements)) {
      pieces.push(kept.text);
      i += kept.elements.length;
      continue;
    }
    let end = i + 1;
    while (end < list.length && end - i < BLOCK && !(isObject(list[end]) && BLOCKS.has(list[end] as object))) end++;
    const elements = list.slice(i, end);
    const text = elements.map((element) => JSON.stringify(element) ?? 'null').join(',');
    if (isObject(first)) BLOCKS.set(first, { elements, text });
    pieces.push(text);
    i = end;
  }
}

function sameRun(list: readonly unknown[], at: number, elements: readonly unknown[]): boolean {
  if (at + elements.length > list.length) return false;
  for (let j = 0; j < elements.length; j++) if (list[at + j] !== elements[j]) return false;
  return true;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** What JSON.stringify prints as an object member. */
function printable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** JSON text never holds a raw newline inside a string, so every newline starts a line to indent. */
function indent(text: string, pad: string): string {
  return text.replace(/\n/g, `\n${pad}`);
}

/**
 * YAML 1.2 reads `0o17` as a number; the 1.1 schema below does not know that form, so it is added
 * to the forms a plain string must not take. Only used to decide on quoting, never to write numbers.
 */
const OCTAL_12 = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^[-+]?0o[0-7]+$/,
  resolve: (text: string) => parseInt(text.replace('0o', ''), 8),
  identify: () => false,
};

/**
 * Envoy's YAML loader, like other YAML 1.1 readers, takes `yes`, `on`, `n`, `off`, `~`, `0x1f`,
 * `1_000` or `12:30` written plain as booleans, null or numbers. So strings are written under the
 * YAML 1.1 schema, which quotes every plain scalar a 1.1 reader (or, with `OCTAL_12`, a 1.2 reader)
 * would take as something else; the text stays valid YAML 1.2 (docs/cli.md).
 */
export function formatYaml(document: unknown): string {
  return stringify(document, YAML_OPTIONS);
}

// No anchors: repeated subtrees are printed in full, as Envoy and people expect.
const YAML_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  aliasDuplicateObjects: false,
  lineWidth: 0,
  version: '1.1',
  customTags: [OCTAL_12],
};

/**
 * `formatYaml(document)` in pieces, in order (docs/performance.md, "Output"): the same bytes, but
 * one list element printed at a time rather than one YAML tree and one string for the whole
 * document. Each element is printed as the only element of its section, whose first line (the
 * section's key) is printed once: nothing in an element's text depends on its neighbours, since
 * no anchors are written.
 */
export function* formatYamlChunks(document: Record<string, unknown>): Generator<string> {
  const keys = Object.keys(document).filter((key) => document[key] !== undefined);
  if (keys.length === 0) {
    yield formatYaml(document);
    return;
  }
  // One YAML document, and so one schema, for all the elements.
  const doc = new Document(null, YAML_OPTIONS);
  const print = (value: unknown) => {
    doc.contents = doc.createNode(value, YAML_OPTIONS);
    return doc.toString(YAML_OPTIONS);
  };
  let buffer = '';
  for (const key of keys) {
    const value = document[key];
    const header = sectionHeader(key);
    if (!Array.isArray(value) || value.length === 0 || header === undefined) {
      buffer += formatYaml({ [key]: value });
      continue;
    }
    buffer += header;
    for (const element of value) {
      buffer += print({ [key]: [element] }).slice(header.length);
      if (buffer.length >= CHUNK) {
        yield buffer;
        buffer = '';
      }
    }
  }
  yield buffer;
}

/** `clusters:\n`, the line a section's list starts with; undefined for a key that takes more. */
function sectionHeader(key: string): string | undefined {
  const text = formatYaml({ [key]: [null] });
  const item = '  - null\n';
  return text.endsWith(item) && !text.slice(0, -item.length).slice(0, -1).includes('\n') ? text.slice(0, -item.length) : undefined;
}
