import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The generator is a plain Node ES module (it runs before anything is built), so it is exercised
// in a Node process of its own.
const SCRIPT = pathToFileURL(join(__dirname, '..', 'scripts', 'go-literal.mjs')).href;

function parse(goSource: string): number[][] {
  const code = `import { rawDescriptors } from ${JSON.stringify(SCRIPT)};
let text = ''; process.stdin.on('data', (d) => (text += d)).on('end', () => {
  console.log(JSON.stringify(rawDescriptors(text).map((b) => [...b])));
});`;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', code], { input: goSource, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }),
  ) as number[][];
}

const bytes = (text: string) => [...Buffer.from(text, 'utf8')];

describe('reading protoc-gen-go raw descriptors', () => {
  test('a string constant of concatenated literals, with every Go escape', () => {
    const source = [
      'const file_a_proto_rawDesc = "" +',
      '\t"\\n" +',
      '\t"\\x0fa.proto\\x12\\x01a\\"\\x00\\t\\r\\\\\\a\\b\\f\\v\\101" +',
      '\t"é\\u00e9\\U0001F600"',
      '',
      'var other = 1',
    ].join('\n');
    expect(parse(source)).toEqual([
      [10, 0x0f, ...bytes('a.proto'), 0x12, 1, ...bytes('a'), 34, 0, 9, 13, 92, 7, 8, 12, 11, 65, ...bytes('é'), ...bytes('é'), ...bytes('\u{1F600}')],
    ]);
  });

  test('a byte slice (older protoc-gen-go), a raw string, and several descriptors in one file', () => {
    const source = [
      'var file_b_proto_rawDesc = []byte{',
      '\t0x0a, 0x07, 0x62,',
      '\t0x2e, 0x70, 0x72, 0x6f, 0x74, 0x6f,',
      '}',
      'const file_c_proto_rawDesc = `c\\n`',
      'func init() { file_b_proto_rawDesc = nil }',
    ].join('\n');
    expect(parse(source)).toEqual([[0x0a, 7, ...bytes('b.proto')], bytes('c\\n')]);
  });

  test('an unterminated literal is an error, not a short descriptor', () => {
    expect(() => parse('const file_d_proto_rawDesc = "abc\n')).toThrow(/unterminated string literal/);
  });
});
