/** A 1-based line and column. */
export type Position = { line: number; column: number };

/**
 * Line and column of offsets in one text. The loader asks in increasing order (document after
 * document), which a cursor answers by scanning forward from the last answer: one pass over the
 * text, nothing kept per line. An offset behind the cursor (a diagnostic found later) builds the
 * index of line starts, once, on demand (docs/performance.md, "The YAML loader").
 */
export class Lines {
  private cursor = 0;
  private line = 1;
  private lineStart = 0;
  /** The first newline at or after the cursor; -1 when there is none. */
  private next: number;
  private starts: Uint32Array | undefined;

  constructor(readonly text: string) {
    this.next = text.indexOf('\n');
  }

  at(offset: number): Position {
    if (offset < this.cursor) return this.fromIndex(offset);
    // `next` is kept so that a text of one long line (JSON) is not scanned again at every offset.
    const { text } = this;
    while (this.next >= 0 && this.next < offset) {
      this.line++;
      this.lineStart = this.next + 1;
      this.next = text.indexOf('\n', this.next + 1);
    }
    this.cursor = offset;
    return { line: this.line, column: offset - this.lineStart + 1 };
  }

  private fromIndex(offset: number): Position {
    const starts = (this.starts ??= lineStarts(this.text));
    // The last line start at or before the offset.
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  }
}

function lineStarts(text: string): Uint32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Uint32Array(count);
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
  return starts;
}
