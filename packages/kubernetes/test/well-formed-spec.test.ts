import fc from 'fast-check';
import { propertyRuns } from '@backendkit/testing';
import { kubernetesSchema } from '@backendkit/kubernetes';
import { wellFormedKubernetes } from '../src/well-formed-spec';

// The quick check of a Backend's `spec.kubernetes` (src/well-formed-spec.ts) stands in for
// `kubernetesSchema` on well-formed specs: whatever it vouches for, the schema must accept and
// output the very same. Random specs, every field drawn from right and wrong values alike.

const RUNS = propertyRuns(3000);

/** A drawn value that means "leave the key out". */
const ABSENT = Symbol('absent');
/** The keys drawn, those drawn as ABSENT left out. */
const partial = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) =>
  fc.record(shape).map((drawn) => Object.fromEntries(Object.entries(drawn).filter(([, v]) => v !== ABSENT)) as Record<string, unknown>);
/** Usually an object literal, sometimes one without a prototype, a class instance, or with a key too many. */
const shaped = (arbitrary: fc.Arbitrary<Record<string, unknown>>) =>
  fc
    .tuple(
      arbitrary,
      fc.constantFrom('literal', 'literal', 'literal', 'literal', 'literal', 'literal', 'literal', 'literal', 'null-prototype', 'instance', 'extra'),
    )
    .map(([value, how]) => {
      if (how === 'literal') return value;
      if (how === 'extra') return { ...value, endpoint: 'x' };
      const target = how === 'null-prototype' ? Object.create(null) : new (class Shaped {})();
      return Object.assign(target as Record<string, unknown>, value);
    });
/** A field's value: often absent, often right (the first values), sometimes wrong or undefined. */
const field = (...values: unknown[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant<unknown>(ABSENT) },
    { weight: 6, arbitrary: fc.constantFrom<unknown>(...values.slice(0, 2)) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(...values, undefined) },
  );
const junk = fc.constantFrom<unknown>(null, 'x', 7, true, [], {});

const spec = fc.oneof(
  {
    weight: 8,
    arbitrary: shaped(
      partial({
        serviceName: field('web', 'api', '', 3, null),
        serviceNamespace: field('team', 'default', '', 3),
        servicePort: field(80, 8080, 1, 65535, 0, 65536, 8.5, '80', Number.NaN),
      }),
    ),
  },
  { weight: 1, arbitrary: junk },
);

describe('wellFormedKubernetes (the quick check of spec.kubernetes)', () => {
  test('vouches for the common specs', () => {
    expect(wellFormedKubernetes({ serviceName: 'web', servicePort: 80 })).toStrictEqual({ serviceName: 'web', servicePort: 80 });
    expect(wellFormedKubernetes({ serviceName: 'web', serviceNamespace: 'team', servicePort: 80 })).toStrictEqual({
      serviceName: 'web',
      serviceNamespace: 'team',
      servicePort: 80,
    });
  });

  test('leaves to the schema what it cannot vouch for', () => {
    for (const value of [
      { serviceName: 'web' },
      { serviceName: '', servicePort: 80 },
      { serviceName: 'web', servicePort: 80, serviceNamespace: undefined },
      { serviceName: 'web', servicePort: 80, port: 1 },
    ]) {
      expect(wellFormedKubernetes(value)).toBeUndefined();
    }
  });

  test('property: what it vouches for, the schema accepts and outputs the same', () => {
    let vouched = 0;
    fc.assert(
      fc.property(spec, (value) => {
        const quick = wellFormedKubernetes(value);
        if (quick === undefined) return;
        vouched++;
        const parsed = kubernetesSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(quick).toStrictEqual(parsed.data);
      }),
      { numRuns: RUNS },
    );
    // The draws reach the common case often enough for the property to say something.
    expect(vouched).toBeGreaterThan(RUNS / 10);
  });
});
