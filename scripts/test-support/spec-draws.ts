import fc from 'fast-check';

// What the property tests of the plugins' quick checks share (`wellFormed`, docs/plugins.md,
// "Quick checks"): draws of specs from right and wrong values alike, keys left out or written as
// undefined, shapes a schema refuses; and the property itself.

/** A drawn value that means "leave the key out". */
export const ABSENT = Symbol('absent');
/** The keys drawn, those drawn as ABSENT left out. */
export const partial = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) =>
  fc.record(shape).map((drawn) => Object.fromEntries(Object.entries(drawn).filter(([, v]) => v !== ABSENT)) as Record<string, unknown>);
/** Usually an object literal, sometimes one without a prototype, a class instance, or with a key too many. */
export const shaped = (arbitrary: fc.Arbitrary<Record<string, unknown>>) =>
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
export const field = (...values: unknown[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant<unknown>(ABSENT) },
    { weight: 6, arbitrary: fc.constantFrom<unknown>(...values.slice(0, 2)) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(...values, undefined) },
  );
export const junk = fc.constantFrom<unknown>(null, 'x', 7, true, [], {});

/** `spec.aws.auth` as the AWS plugins read it (both its kinds, and junk), often left out. */
export const awsAuth = fc.oneof(
  { weight: 6, arbitrary: fc.constant<unknown>(ABSENT) },
  shaped(
    partial({
      type: field('Secret', 'Secret', 'AssumeRole', 'secret', 3),
      secretRef: fc.oneof(shaped(partial({ name: field('creds', 'creds', '', 5) })), junk),
    }),
  ),
  shaped(partial({ type: field('AssumeRole', 'Secret'), assumeRole: shaped(partial({ roleArn: field('arn:aws:iam::123456789012:role/x', 'nope') })) })),
  junk,
);

/** The property: what `check` vouches for, `schema` accepts and outputs the same; and the draws reach the common case at least once in `share` runs. */
export function expectVouchedAsSchema(
  check: (value: unknown) => unknown,
  schema: { safeParse(value: unknown): { success: boolean; data?: unknown } },
  draws: fc.Arbitrary<unknown>,
  runs: number,
  share: number,
): void {
  let vouched = 0;
  fc.assert(
    fc.property(draws, (value) => {
      const quick = check(value);
      if (quick === undefined) return;
      vouched++;
      const parsed = schema.safeParse(value);
      expect(parsed.success).toBe(true);
      expect(quick).toStrictEqual(parsed.data);
    }),
    { numRuns: runs },
  );
  // The draws reach the common case often enough for the property to say something.
  expect(vouched).toBeGreaterThan(runs / share);
}
