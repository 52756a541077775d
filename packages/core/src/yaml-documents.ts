import type { CST, Document, YAMLError } from 'yaml';
import { yaml } from './yaml-lib';

const { Composer, Lexer, Parser } = yaml;
import { tooDeepAt, utf8Bytes, type LoadLimits } from './input-limits';
import { yamlTokens } from './yaml-tokens';

/** Where a document sits in the text: from its first token to the next document's. */
export interface DocumentRange {
  index: number;
  start: number;
  end: number;
}

export type DocumentEvent =
  | (DocumentRange & { type: 'document'; doc: Document.Parsed })
  /** Refused before it was composed (the YAML library recurses once per nesting level). */
  | (DocumentRange & { type: 'too-large'; bytes: number })
  | (DocumentRange & { type: 'too-deep'; at: number })
  /** More documents than `maxDocuments`: reading stopped; nothing of the text is to be kept. */
  | { type: 'too-many' }
  /** Errors outside any document (a stray `...`), when the text holds no document to hang them on. */
  | { type: 'stream-errors'; errors: YAMLError[] };

/**
 * The documents of a YAML text, composed one at a time and in order (docs/performance.md, "The YAML
 * loader"): whoever drops each document after reading it holds one document, not the text's. A
 * document is held back until the next one starts, so that its size is known before it is
 * composed, and a refused one is composed empty, so that the documents after it keep their numbers.
 */
export function* yamlDocuments(text: string, limits: LoadLimits): Generator<DocumentEvent> {
  const tooDeep = new Map<CST.Document, number>();
  // Keys are checked for duplicates by the loader, in linear time (`duplicateKeyAt`).
  const composer = new Composer({ uniqueKeys: false, logLevel: 'error' });
  const ranges: Array<DocumentRange & ({ refused?: undefined } | { refused: 'too-large'; bytes: number } | { refused: 'too-deep'; at: number })> = [];
  let pending: CST.Token[] = [];
  let documents = 0;
  let released = 0;

  const composed = function* (produced: Iterable<Document.Parsed>): Generator<DocumentEvent> {
    for (const doc of produced) {
      const range = ranges.shift()!;
      const where = { index: range.index, start: range.start, end: range.end };
      if (range.refused === 'too-large') yield { type: 'too-large', ...where, bytes: range.bytes };
      else if (range.refused === 'too-deep') yield { type: 'too-deep', ...where, at: range.at };
      else yield { type: 'document', ...where, doc };
    }
  };
  /** Composes the held-back document (and the tokens after it) now that its end is known. */
  const release = function* (end: number): Generator<DocumentEvent> {
    const token = pending[0] as CST.Document;
    const range: DocumentRange = { index: released++, start: token.offset, end };
    const bytes = utf8Bytes(text.slice(range.start, end), limits.maxDocumentBytes);
    const deep = bytes > limits.maxDocumentBytes ? undefined : (tooDeep.get(token) ?? tooDeepAt(token.value, limits.maxDepth));
    if (bytes > limits.maxDocumentBytes) ranges.push({ ...range, refused: 'too-large', bytes });
    else if (deep !== undefined) ranges.push({ ...range, refused: 'too-deep', at: deep });
    else ranges.push(range);
    if (bytes > limits.maxDocumentBytes || deep !== undefined) pending[0] = { ...token, value: undefined };
    const tokens = pending;
    pending = [];
    for (const t of tokens) yield* composed(composer.next(t));
  };

  for (const token of yamlTokens(text, limits.maxDepth, tooDeep)) {
    if (token.type !== 'document') {
      // Tokens before the first document (directives, comments) go to the composer at once.
      if (pending.length > 0) pending.push(token);
      else yield* composed(composer.next(token));
      continue;
    }
    // Counted as they come, so that a text of a million empty documents costs little to refuse.
    if (++documents > limits.maxDocuments) {
      yield { type: 'too-many' };
      return;
    }
    if (pending.length > 0) yield* release(token.offset);
    pending.push(token);
  }
  if (pending.length > 0) yield* release(text.length);
  yield* composed(composer.end());
  if (documents === 0) yield { type: 'stream-errors', errors: composer.streamInfo().errors };
}

/**
 * One document, or one item of a `kind: List`, composed again from its range of the text, for a
 * diagnostic's position. Node ranges are offsets into the whole text, as when it was first read:
 * what precedes the range on its first line (an item's `- `) is read as spaces, so columns stay
 * exact and the indentation of the lines after it still fits. Errors are not looked at (they were
 * reported the first time).
 */
export function composeAgain(text: string, range: { start: number; end: number }): Document.Parsed | undefined {
  const lineStart = range.start === 0 ? 0 : text.lastIndexOf('\n', range.start - 1) + 1;
  const parser = new Parser();
  parser.offset = lineStart;
  const composer = new Composer({ uniqueKeys: false, logLevel: 'error' });
  const source = ' '.repeat(range.start - lineStart) + text.slice(range.start, range.end);
  for (const lexeme of new Lexer().lex(source)) {
    for (const token of parser.next(lexeme)) {
      for (const doc of composer.next(token)) return doc;
    }
  }
  for (const token of parser.end()) {
    for (const doc of composer.next(token)) return doc;
  }
  for (const doc of composer.end()) return doc;
  return undefined;
}
