import type { CST } from 'yaml';
import { yaml } from './yaml-lib';

const { Lexer, Parser } = yaml;
const cst = yaml.CST;

/**
 * The YAML library recurses once per nesting level, in its parser (block collections) and in its
 * composer (all collections); a stack overflow deep inside it can even abort the process. So nesting
 * is bounded before either gets far: `MAX_NESTING` whatever the options say.
 */
export const MAX_NESTING = 1000;

/**
 * The YAML syntax tokens of a text (one per document, directive, ...), like `Parser.parse`, one at
 * a time as the parser produces them: who reads them one document at a time holds one document's
 * tokens, not the whole text's (docs/performance.md, "The YAML loader"). The parser's open
 * collections are watched: a document that nests beyond `maxDepth` is abandoned on the spot and
 * stands as an empty document (added to `tooDeep` with the offset where that was noticed), so that
 * the documents after it keep their numbers and still load.
 */
export function* yamlTokens(text: string, maxDepth: number, tooDeep: Map<CST.Document, number>): Generator<CST.Token> {
  // The parser's stack holds the document and each open collection (and a scalar being read).
  const bound = Math.min(maxDepth, MAX_NESTING) + 2;
  let parser = new Parser();
  let skipping = false;
  let offset = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (skipping) {
      // A new document starts with `---`, or with the lexer's document-mode mark after `...`.
      if (lexeme !== cst.DOCUMENT && cst.tokenType(lexeme) !== 'doc-start') {
        offset += width(lexeme);
        continue;
      }
      skipping = false;
      parser = new Parser();
      parser.offset = offset;
    }
    yield* parser.next(lexeme);
    offset = parser.offset;
    if (parser.stack.length > bound) {
      const open = parser.stack[0];
      const placeholder: CST.Document = {
        type: 'document',
        offset: open?.offset ?? offset,
        start: open?.type === 'document' ? open.start : [],
      };
      tooDeep.set(placeholder, offset);
      yield placeholder;
      skipping = true;
    }
  }
  if (!skipping) yield* parser.end();
}

/** Marks the lexer adds (document mode, scalar follows, flow ended early) are not in the text. */
function width(lexeme: string): number {
  return lexeme === cst.DOCUMENT || lexeme === cst.SCALAR || lexeme === cst.FLOW_END ? 0 : lexeme.length;
}
