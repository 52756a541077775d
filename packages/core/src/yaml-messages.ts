import type { ErrorCode } from 'yaml';

/**
 * What each of the YAML library's errors means, in words that quote nothing. The library's own
 * messages quote the input (every scalar after a stray `]`, an alias's or a tag's name, a block
 * scalar's header), and input text may be a credential: loader messages say what is wrong and where
 * (line and column), never what was written (docs/security.md).
 */
const MEANING: Record<ErrorCode, string> = {
  ALIAS_PROPS: 'an alias cannot have an anchor or a tag',
  BAD_ALIAS: 'an alias that is not valid here',
  BAD_DIRECTIVE: 'a directive (a line starting with %) that is not valid',
  BAD_DQ_ESCAPE: 'a double-quoted string holds an escape that is not valid',
  BAD_INDENT: 'the indentation is wrong here',
  BAD_PROP_ORDER: 'an anchor or a tag is in the wrong place',
  BAD_SCALAR_START: 'a plain value cannot start with this character (quote it)',
  BLOCK_AS_IMPLICIT_KEY: 'a block collection or block scalar cannot be a key',
  BLOCK_IN_FLOW: 'a block value cannot be inside a flow collection ([...] or {...})',
  DUPLICATE_KEY: 'a key appears twice in one map',
  IMPOSSIBLE: 'the YAML parser cannot read this',
  KEY_OVER_1024_CHARS: 'a key without "?" is longer than 1024 characters',
  MISSING_CHAR: 'a closing character (a quote, "]", "}") or a ":" is missing',
  MULTILINE_IMPLICIT_KEY: 'a key without "?" spans more than one line',
  MULTIPLE_ANCHORS: 'a value has more than one anchor',
  MULTIPLE_DOCS: 'more than one document where one was expected',
  MULTIPLE_TAGS: 'a value has more than one tag',
  NON_STRING_KEY: 'a key is not a string',
  RESOURCE_EXHAUSTION: 'aliases expand to too much (maxAliasCount)',
  TAB_AS_INDENT: 'a tab is used for indentation',
  TAG_RESOLVE_FAILED: 'a tag that is not known (or whose value does not fit it): the value is read as a string',
  UNEXPECTED_TOKEN: 'unexpected text here (a stray bracket, brace, quote or indicator?)',
  BAD_COLLECTION_TYPE: 'a collection tag that does not fit the collection',
};

/** `invalid YAML at column 7: the indentation is wrong here`, from an error's code alone. */
export function yamlProblem(code: string | undefined, column: number | undefined): string {
  const meaning = (code !== undefined && MEANING[code as ErrorCode]) || 'the YAML parser cannot read this';
  return `${column !== undefined ? `at column ${column}: ` : ''}${meaning}`;
}

/**
 * What went wrong when a composed document was turned into data (`toJS`), without the library's
 * message: that one names the alias (`Unresolved alias ...: <name>`).
 */
export function conversionProblem(error: unknown, maxAliasCount: number): string {
  const message = error instanceof Error ? error.message : '';
  if (/alias count/i.test(message)) return `aliases expand to more than maxAliasCount (${maxAliasCount}) allows, weighted by what they hold ("billion laughs")`;
  if (/alias/i.test(message)) return 'an alias refers to no anchor defined before it';
  return 'a value cannot be converted to data';
}
