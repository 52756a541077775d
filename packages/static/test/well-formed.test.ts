import fc from 'fast-check';
import { propertyRuns, runPlugin } from '@backendkit/testing';
import { staticPlugin, staticSchema } from '@backendkit/static';
import { wellFormedStatic } from '../src/well-formed';
import { expectVouchedAsSchema } from '../../../scripts/test-support/spec-draws';

// The quick check (src/well-formed.ts) stands in for `staticSchema` on well-formed specs: whatever it
// vouches for, the schema must accept and output the very same, and a Backend translates the same
// with or without it. Random specs, every field drawn from right and wrong values alike.

const RUNS = propertyRuns(3000);

/** Usually every key present; sometimes any of them left out. */
const partial = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) =>
  fc.oneof({ weight: 3, arbitrary: fc.record(shape) }, { weight: 1, arbitrary: fc.record(shape, { requiredKeys: [] }) });
/** Usually an object literal, sometimes one without a prototype, a class instance, or with a key too many. */
const shaped = (arbitrary: fc.Arbitrary<Record<string, unknown>>) =>
  fc
    .tuple(arbitrary, fc.constantFrom('literal', 'literal', 'literal', 'literal', 'literal', 'literal', 'literal', 'null-prototype', 'instance', 'extra'))
    .map(([value, how]) => {
      if (how === 'literal') return value;
      if (how === 'extra') return { ...value, weight: 1 };
      const target = how === 'null-prototype' ? Object.create(null) : new (class Shaped {})();
      return Object.assign(target as Record<string, unknown>, value);
    });
const junk = fc.constantFrom<unknown>(null, 'x', 7, true, [], ['a'], {});
const hostText = fc.oneof(
  { weight: 2, arbitrary: fc.ipV4() },
  { weight: 1, arbitrary: fc.ipV6() },
  { weight: 2, arbitrary: fc.domain() },
  fc.constantFrom<unknown>(
    'api.example.com',
    'example.com.',
    '10.0.0.1',
    '010.0.0.1',
    'fd00::1',
    'fe80::1%eth0',
    '1.2.3.256',
    '-bad-.com',
    'a..b',
    '',
    ' ',
    'x'.repeat(64),
    5,
    null,
    undefined,
  ),
);
const port = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 65535 }) },
  fc.constantFrom<unknown>(1, 80, 443, 8080, 65535, 0, 65536, 8.5, -1, Number.NaN, Number.POSITIVE_INFINITY, '80', null, undefined),
);
const host = fc.oneof({ weight: 16, arbitrary: shaped(partial({ host: hostText, port })) }, { weight: 1, arbitrary: junk });
const hosts = fc.oneof(
  { weight: 6, arbitrary: fc.array(host, { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(host, { maxLength: 3 }) },
  { weight: 1, arbitrary: junk },
);
const appProtocol = fc.constantFrom<unknown>(
  undefined,
  'http2',
  'http2',
  'HTTP2',
  'grpc',
  'grpc-web',
  'kubernetes.io/h2c',
  'kubernetes.io/ws',
  'http',
  '',
  2,
  null,
  undefined,
);
const spec = fc.oneof({ weight: 8, arbitrary: shaped(partial({ hosts, appProtocol })) }, { weight: 1, arbitrary: junk });

describe('wellFormedStatic (the quick check of spec.static)', () => {
  test('vouches for the common specs, with the fields the schema outputs', () => {
    expect(wellFormedStatic({ hosts: [{ host: 'api.example.com', port: 443 }], appProtocol: 'http2' })).toStrictEqual({
      hosts: [{ host: 'api.example.com', port: 443 }],
      appProtocol: 'http2',
    });
    expect(
      wellFormedStatic({
        hosts: [
          { host: '10.0.0.1', port: 80 },
          { host: 'fd00::1', port: 8080 },
        ],
      }),
    ).toStrictEqual({
      hosts: [
        { host: '10.0.0.1', port: 80 },
        { host: 'fd00::1', port: 8080 },
      ],
    });
  });

  test('leaves to the schema what it cannot vouch for', () => {
    for (const value of [
      undefined,
      [],
      { hosts: [] },
      { hosts: [{ host: 'api.example.com', port: 443, weight: 1 }] },
      { hosts: [{ host: 'api.example.com', port: 0 }] },
      { hosts: [{ host: '1.2.3.256', port: 80 }] },
      { hosts: [{ host: 'a', port: 80 }], appProtocol: 'http' },
      { hosts: [{ host: 'a', port: 80 }], appProtocol: undefined },
      { hosts: [{ host: 'a', port: 80 }], extra: true },
    ]) {
      expect(wellFormedStatic(value)).toBeUndefined();
    }
  });

  test('property: what it vouches for, the schema accepts and outputs the same', () => {
    expectVouchedAsSchema(wellFormedStatic, staticSchema, spec, RUNS, 15);
  });

  test('property: a Backend translates the same with the check and with the schema alone', () => {
    const plugin = staticPlugin();
    const schemaOnly = { ...plugin, wellFormed: undefined };
    fc.assert(
      fc.property(spec, (value) => {
        const backend = {
          apiVersion: 'gateway.kgateway.dev/v1alpha1',
          kind: 'Backend',
          metadata: { name: 'b', namespace: 'default' },
          spec: { static: value },
        };
        const a = runPlugin(plugin, backend);
        const b = runPlugin(schemaOnly, backend);
        expect(a.diagnostics).toStrictEqual(b.diagnostics);
        expect(a.cluster).toStrictEqual(b.cluster);
        expect(a.status).toStrictEqual(b.status);
      }),
      { numRuns: Math.ceil(RUNS / 10) },
    );
  });
});
