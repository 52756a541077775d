import { CST, Lexer, LineCounter, Parser } from 'yaml';

/**
 * The YAML library recurses once per nesting level, in its parser (block collections) and in its
 * composer (all collections); a stack overflow deep inside it can even abort the process. So nesting
 * is bounded before either gets far: `MAX_NESTING` whatever the options say.
 */
export const MAX_NESTING = 1000;

export interface YamlTokens {
  tokens: CST.Token[];
  /** Documents abandoned because they nest too deeply, with the offset where that was noticed. */
  tooDeep: Map<CST.Document, number>;
  /** The text holds more than `maxDocuments` documents: parsing stopped there, `tokens` is partial. */
  tooMany: boolean;
}

/**
 * Parses text into YAML syntax tokens (one per document, directive, ...), like `Parser.parse`, but
 * watches how many collections the parser holds open: a document that nests beyond `maxDepth` is
 * abandoned on the spot and stands as an empty document, so that the documents after it keep their
 * numbers and still load.
 */
export function parseYamlTokens(text: string, maxDepth: number, maxDocuments = Infinity): YamlTokens {
  // The parser's stack holds the document and each open collection (and a scalar being read).
  const bound = Math.min(maxDepth, MAX_NESTING) + 2;
  const tokens: CST.Token[] = [];
  const tooDeep = new Map<CST.Document, number>();
  let parser = new Parser();
  let skipping = false;
  let offset = 0;
  let documents = 0;
  const push = (produced: Iterable<CST.Token>) => {
    for (const token of produced) {
      if (token.type === 'document') documents++;
      tokens.push(token);
    }
  };
  for (const lexeme of new Lexer().lex(text)) {
    // Counted as they come, so that a text of a million empty documents costs nothing to refuse.
    if (documents > maxDocuments) return { tokens, tooDeep, tooMany: true };
    if (skipping) {
      // A new document starts with `---`, or with the lexer's document-mode mark after `...`.
      if (lexeme !== CST.DOCUMENT && CST.tokenType(lexeme) !== 'doc-start') {
        offset += width(lexeme);
        continue;
      }
      skipping = false;
      parser = new Parser();
      parser.offset = offset;
    }
    push(parser.next(lexeme));
    offset = parser.offset;
    if (parser.stack.length > bound) {
      const open = parser.stack[0];
      const placeholder: CST.Document = {
        type: 'document',
        offset: open?.offset ?? offset,
        start: open?.type === 'document' ? open.start : [],
      };
      push([placeholder]);
      tooDeep.set(placeholder, offset);
      skipping = true;
    }
  }
  if (!skipping) push(parser.end());
  return { tokens, tooDeep, tooMany: documents > maxDocuments };
}

/** Marks the lexer adds (document mode, scalar follows, flow ended early) are not in the text. */
function width(lexeme: string): number {
  return lexeme === CST.DOCUMENT || lexeme === CST.SCALAR || lexeme === CST.FLOW_END ? 0 : lexeme.length;
}

/** Line starts of a text, for `linePos`. */
export function countLines(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
  return counter;
}
