/**
 * A line diff of two texts (`-` expected, `+` actual) with a little context around each change,
 * cut to `maxLines` lines: enough to see what changed in a golden file without a diff tool.
 */
export function lineDiff(expected: string, actual: string, { context = 2, maxLines = 60 } = {}): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const ops = diffOps(a, b);
  const keep = new Set<number>();
  ops.forEach((op, i) => {
    if (op.kind === ' ') return;
    for (let j = Math.max(0, i - context); j <= Math.min(ops.length - 1, i + context); j++) keep.add(j);
  });
  const out: string[] = [];
  let last = -1;
  for (const i of [...keep].sort((x, y) => x - y)) {
    if (last !== -1 && i !== last + 1) out.push('  ...');
    const op = ops[i]!;
    out.push(`${op.kind} ${op.text}`);
    last = i;
  }
  if (out.length > maxLines) return [...out.slice(0, maxLines), `  ... (${out.length - maxLines} more diff lines)`].join('\n');
  return out.join('\n');
}

interface Op {
  kind: ' ' | '-' | '+';
  text: string;
}

// Plain LCS table: golden files are at most a few thousand lines, so quadratic is fine.
function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  // Trim the common head and tail first: most changes are small.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = a.slice(0, head).map((text) => ({ kind: ' ', text }));
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      ops.push({ kind: ' ', text: x[i]! });
      i++;
      j++;
    } else if (i < x.length && (j === y.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ kind: '-', text: x[i++]! });
    } else {
      ops.push({ kind: '+', text: y[j++]! });
    }
  }
  ops.push(...a.slice(a.length - tail).map((text): Op => ({ kind: ' ', text })));
  return ops;
}
