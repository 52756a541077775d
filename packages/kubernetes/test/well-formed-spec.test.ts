import fc from 'fast-check';
import { propertyRuns } from '@backendkit/testing';
import { kubernetesSchema } from '@backendkit/kubernetes';
import { wellFormedKubernetes } from '../src/well-formed-spec';
import { field, junk, partial, shaped, expectVouchedAsSchema } from '../../../scripts/test-support/spec-draws';

// The quick check of a Backend's `spec.kubernetes` (src/well-formed-spec.ts) stands in for
// `kubernetesSchema` on well-formed specs: whatever it vouches for, the schema must accept and
// output the very same. Random specs, every field drawn from right and wrong values alike.

const RUNS = propertyRuns(3000);

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
    expectVouchedAsSchema(wellFormedKubernetes, kubernetesSchema, spec, RUNS, 10);
  });
});
