import fc from 'fast-check';
import { formatDiagnostic, loadText } from '@backendkit/core';
import { propertyRuns } from '@backendkit/testing';

// BACKENDKIT_PROPERTY_RUNS=10000 for a long pass (docs/security.md); the seed stays fixed.
const BUDGET = { numRuns: propertyRuns(200), seed: 20261201 } as const;
jest.setTimeout(Math.max(5_000, BUDGET.numRuns * 100));

/** Marker secrets: if any 8 characters of one show up in a message, input text leaked. */
const MARKERS = ['Zq9XvT4kLm2Wp8Rb', 'hJ7sDn3QyF6cVa1G', 'uK5eMz0PwB4tXr9N', 'Ly2oCq8HgS6vJd3T', 'Wn4fAb7ZkE1mUx5R', 'Pt6iGs9YcO2lKh8V'];
const WINDOW = 8;
const windows = MARKERS.flatMap((m) => Array.from({ length: m.length - WINDOW + 1 }, (_, i) => m.slice(i, i + WINDOW)));

/** Documents holding the markers in every place a value can be: plain, quoted, block scalars, flow lists. */
const DOCUMENTS = `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: default
type: Opaque
stringData:
  accessKey: ${MARKERS[0]}
  secretKey: "${MARKERS[1]}"
  sessionToken: '${MARKERS[2]}'
  note: |
    ${MARKERS[3]}
  list: [${MARKERS[4]}, x]
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata:
  name: web
spec:
  static:
    hosts:
    - host: api.example.com
      port: 443
  headers: {authorization: ${MARKERS[5]}}
`;

/** YAML indicators and whitespace that turn values into aliases, tags, block headers, keys, flow ends. */
const INSERTED = [
  ']',
  '}',
  '[',
  '{',
  '*',
  '&',
  '!',
  '!!',
  '|',
  '>',
  ':',
  ': ',
  '- ',
  '? ',
  '#',
  ',',
  "'",
  '"',
  '%',
  '@',
  '`',
  '\t',
  '\n',
  ' ',
  '---\n',
  '...\n',
  '|-',
  '>+',
  '\\',
  '\uFEFF',
];

type Mutation = (text: string) => string;
const at = (text: string, n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom(...INSERTED)).map(
    ([n, s]): Mutation =>
      (t) =>
        t.slice(0, at(t, n)) + s + t.slice(at(t, n)),
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 })).map(
    ([n, len]): Mutation =>
      (t) =>
        t.slice(0, at(t, n)) + t.slice(at(t, n) + len),
  ),
  fc.nat().map((n): Mutation => (t) => {
    const lines = t.split('\n');
    const i = n % lines.length;
    return [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)].join('\n');
  }),
  fc.nat().map((n): Mutation => (t) => {
    const lines = t.split('\n');
    const i = n % Math.max(1, lines.length - 1);
    [lines[i], lines[i + 1]] = [lines[i + 1] ?? '', lines[i]!];
    return lines.join('\n');
  }),
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })).map(([n, shift]): Mutation => (t) => {
    const lines = t.split('\n');
    const i = n % lines.length;
    lines[i] = shift >= 0 ? ' '.repeat(shift) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-shift}}`), '');
    return lines.join('\n');
  }),
);

function leaks(text: string): string[] {
  const { diagnostics } = loadText(text, { file: 'in.yaml' });
  const printed = diagnostics.flatMap((d) => [formatDiagnostic(d), d.message, d.path ?? '']);
  return printed.filter((line) => windows.some((w) => line.includes(w)));
}

describe('loader messages never quote input text', () => {
  test('documents holding marker secrets, mutated at random: no message holds any part of a marker', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const text = mutations.reduce((t, m) => m(t), DOCUMENTS);
        expect(leaks(text)).toEqual([]);
      }),
      BUDGET,
    );
  });

  test.each([
    ['a stray "]" before later scalars', `stringData:\n  a: ]\n  b: ${MARKERS[0]}\n  c: "${MARKERS[1]}"\n`],
    ['a stray "}" before later scalars', `stringData:\n  a: }\n  b: ${MARKERS[0]}\n`],
    ['an alias to no anchor', `stringData:\n  secretKey: *${MARKERS[0]}\n`],
    ['a tag that is not valid', `stringData:\n  secretKey: !${MARKERS[0]}!b x\n`],
    ['a block scalar header that is not valid', `stringData:\n  secretKey: |${MARKERS[0]}\n    x\n`],
    ['an unknown tag', `stringData:\n  secretKey: !${MARKERS[0]} x\n`],
    ['a bad escape', `stringData:\n  secretKey: "${MARKERS[0]}\\q"\n`],
    ['a duplicate key', `stringData:\n  ${MARKERS[0]}: a\n  ${MARKERS[0]}: b\n`],
  ])('%s: a diagnostic that says where, not what', (_, body) => {
    const text = `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n${body}`;
    const { diagnostics } = loadText(text, { file: 'in.yaml' });
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) expect(formatDiagnostic(d)).toMatch(/^(error|warning): in\.yaml#0:\d+: (invalid YAML|YAML|cannot read document)/);
    expect(leaks(text)).toEqual([]);
  });
});
