// Reads the descriptors protoc-gen-go embeds in generated Go files: `file_<name>_rawDesc` is either a
// string constant (concatenated interpreted literals) or a byte-slice literal, depending on the
// protoc-gen-go version. Only the literal syntax is parsed; no Go code runs.

const RAW_DESC = /\bfile_\w+_rawDesc\s*=\s*/g;

/** Every raw descriptor in one `.pb.go` source text, as bytes. */
export function rawDescriptors(source) {
  const found = [];
  for (const match of source.matchAll(RAW_DESC)) {
    const start = match.index + match[0].length;
    const rest = source.slice(start, start + 16);
    if (rest.startsWith('nil')) continue;
    if (rest.startsWith('[]byte{')) found.push(byteSlice(source, start + '[]byte{'.length));
    else if (rest.startsWith('string([]byte{')) found.push(byteSlice(source, start + 'string([]byte{'.length));
    else if (rest.startsWith('"') || rest.startsWith('`')) found.push(stringConcat(source, start));
  }
  return found;
}

function byteSlice(source, from) {
  const end = source.indexOf('}', from);
  if (end < 0) throw new Error('unterminated []byte literal');
  const bytes = source
    .slice(from, end)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s));
  if (bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) throw new Error('bad byte in []byte literal');
  return Uint8Array.from(bytes);
}

function stringConcat(source, from) {
  const parts = [];
  let i = from;
  for (;;) {
    while (/\s/.test(source[i])) i++;
    if (source[i] === '"') {
      const [bytes, next] = interpreted(source, i + 1);
      parts.push(bytes);
      i = next;
    } else if (source[i] === '`') {
      const end = source.indexOf('`', i + 1);
      parts.push(Buffer.from(source.slice(i + 1, end).replaceAll('\r', ''), 'utf8'));
      i = end + 1;
    } else {
      throw new Error(`unexpected ${JSON.stringify(source[i])} in string literal`);
    }
    let j = i;
    while (source[j] === ' ' || source[j] === '\t') j++;
    if (source[j] !== '+') break;
    i = j + 1;
  }
  return new Uint8Array(Buffer.concat(parts));
}

const SIMPLE = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34 };

// One Go interpreted string literal starting after its opening quote; returns [bytes, index after].
function interpreted(source, from) {
  const out = [];
  let i = from;
  for (;;) {
    const c = source[i];
    if (c === undefined || c === '\n') throw new Error('unterminated string literal');
    if (c === '"') return [Buffer.from(out), i + 1];
    if (c !== '\\') {
      const cp = source.codePointAt(i);
      const ch = String.fromCodePoint(cp);
      out.push(...Buffer.from(ch, 'utf8'));
      i += ch.length;
      continue;
    }
    const e = source[i + 1];
    if (e in SIMPLE) {
      out.push(SIMPLE[e]);
      i += 2;
    } else if (e === 'x') {
      out.push(parseInt(source.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (e >= '0' && e <= '7') {
      out.push(parseInt(source.slice(i + 1, i + 4), 8));
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      out.push(...Buffer.from(String.fromCodePoint(parseInt(source.slice(i + 2, i + 2 + len), 16)), 'utf8'));
      i += 2 + len;
    } else {
      throw new Error(`unknown escape \\${e}`);
    }
  }
}
