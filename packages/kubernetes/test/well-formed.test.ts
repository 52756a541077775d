import fc from 'fast-check';
import { propertyRuns } from '@backendkit/testing';
import type { KubeObject } from '@backendkit/core';
import { ResourceIndex } from '@backendkit/core/helpers';
import { endpointSliceSchema, serviceSchema } from '@backendkit/kubernetes';
import { readSlice, readSliceWith } from '../src/endpoints';
import { readService, readServiceWith } from '../src/service';
import { wellFormedServicePorts, wellFormedSlice } from '../src/well-formed';

// The quick checks (src/well-formed.ts) stand in for the zod schemas on well-formed objects: what the
// plugin reads must be the same either way, and a check must never vouch for what its schema refuses.
// Random objects, most fields drawn from right and wrong values alike, some keys left out.

const cannotTell = () => undefined;
const RUNS = propertyRuns(3000);

/** Optional keys: each may be left out, or present with the value drawn. */
const partial = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) => fc.record(shape, { requiredKeys: [] });
/** Usually an object literal, sometimes one without a prototype or a class instance. */
const shaped = (arbitrary: fc.Arbitrary<Record<string, unknown>>) =>
  fc.tuple(arbitrary, fc.constantFrom('literal', 'literal', 'literal', 'null-prototype', 'instance')).map(([value, how]) => {
    if (how === 'literal') return value;
    const target = how === 'null-prototype' ? Object.create(null) : new (class Shaped {})();
    return Object.assign(target as Record<string, unknown>, value);
  });
const junk = fc.constantFrom<unknown>(null, 'x', 7, true, [], ['a']);
const portNumber = fc.constantFrom<unknown>(1, 80, 8080, 65535, 0, 65536, 8.5, -1, Number.NaN, '80', null, undefined);
const text = fc.constantFrom<unknown>('http', 'grpc', 'a', '', null, undefined, 3, false);
const address = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom<unknown>('10.0.0.1', 'fd00::1', 'not-an-ip', '', 5, null));

const endpoint = fc.oneof(
  {
    weight: 6,
    arbitrary: shaped(
      partial({
        addresses: fc.oneof({ weight: 4, arbitrary: fc.array(address, { maxLength: 3 }) }, junk),
        conditions: fc.oneof(shaped(partial({ ready: fc.constantFrom<unknown>(true, false, null, undefined, 'yes') })), junk, fc.constant(undefined)),
        zone: text,
        targetRef: fc.oneof(
          shaped(partial({ kind: fc.constantFrom<unknown>('Pod', 'Node', null, 1), name: text, namespace: text, uid: fc.constant('u') })),
          junk,
          fc.constant(undefined),
        ),
      }),
    ),
  },
  { weight: 1, arbitrary: junk },
);

const slice = shaped(
  partial({
    apiVersion: fc.constant('discovery.k8s.io/v1'),
    kind: fc.constant('EndpointSlice'),
    metadata: fc.oneof(fc.record({ name: fc.constantFrom('s-1', 's-2'), namespace: fc.constantFrom('default', 'team') }), junk),
    addressType: fc.constantFrom<unknown>('IPv4', 'IPv4', 'IPv6', 'FQDN', 'ipv4', 4, null),
    endpoints: fc.oneof({ weight: 4, arbitrary: fc.array(endpoint, { maxLength: 4 }) }, junk),
    ports: fc.oneof(
      { weight: 4, arbitrary: fc.array(fc.oneof({ weight: 5, arbitrary: shaped(partial({ name: text, port: portNumber })) }, junk), { maxLength: 3 }) },
      junk,
    ),
  }),
);

const servicePort = fc.oneof(
  {
    weight: 8,
    arbitrary: shaped(
      partial({
        name: fc.constantFrom<unknown>('http', 'grpc', 'metrics', '', null, 9),
        port: fc.constantFrom<unknown>(80, 80, 443, 9090, 0, 70000, '80', null),
        protocol: fc.constantFrom<unknown>('TCP', 'UDP', 'SCTP', 'tcp', null, undefined),
        appProtocol: fc.constantFrom<unknown>('grpc', 'http2', '', null, undefined, 2),
        targetPort: fc.constantFrom<unknown>(8080, 'web', '', 0, null, undefined, 1.5),
      }),
    ),
  },
  { weight: 1, arbitrary: junk },
);

const service = fc
  .tuple(
    fc.oneof(
      {
        weight: 8,
        arbitrary: shaped(
          partial({ ports: fc.oneof({ weight: 6, arbitrary: fc.array(servicePort, { maxLength: 4 }) }, junk), selector: fc.constant({ app: 'a' }) }),
        ),
      },
      junk,
    ),
    fc.boolean(),
  )
  .map(([spec, withSpec]): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', namespace: 'default' },
    ...(withSpec ? { spec } : {}),
  }));

describe('quick EndpointSlice check', () => {
  it('reads every slice as the schema does, and vouches only for slices the schema takes', () => {
    let vouched = 0;
    fc.assert(
      fc.property(slice, (object) => {
        const quick = wellFormedSlice(object);
        if (quick) {
          vouched++;
          expect(endpointSliceSchema.safeParse(object).success).toBe(true);
        }
        expect(readSlice(object)).toEqual(readSliceWith(object, cannotTell));
      }),
      { numRuns: RUNS },
    );
    // The property says something about the quick path only if it was taken often enough.
    expect(vouched).toBeGreaterThan(RUNS / 20);
  });

  it('leaves wrong slices to the schema, whose warnings are unchanged', () => {
    const wrong = { addressType: 'IPv4', metadata: { name: 's', namespace: 'default' }, endpoints: [{ addresses: [], conditions: { ready: 'yes' } }] };
    expect(wellFormedSlice(wrong)).toBeUndefined();
    expect(readSlice(wrong).diagnostics.map((d) => [d.path, d.message])).toEqual([
      ['endpoints[0].addresses', 'must list at least one address (EndpointSlice skipped)'],
      ['endpoints[0].conditions.ready', 'must be true or false (EndpointSlice skipped)'],
    ]);
  });
});

describe('quick Service check', () => {
  const resources = new ResourceIndex([]);

  it('reads every Service as the schema does, and vouches only for Services the schema takes', () => {
    let vouched = 0;
    fc.assert(
      fc.property(service, (object) => {
        if (wellFormedServicePorts(object)) {
          vouched++;
          expect(serviceSchema.safeParse(object).success).toBe(true);
        }
        expect(readService(object, resources)).toEqual(readServiceWith(object, resources, cannotTell));
      }),
      { numRuns: RUNS },
    );
    expect(vouched).toBeGreaterThan(RUNS / 20);
  });

  it('leaves the port rules to the schema, whose errors are unchanged', () => {
    const twice: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', namespace: 'default' },
      spec: { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }, { port: 82 }] },
    };
    expect(wellFormedServicePorts(twice)).toBeUndefined();
    const read = readService(twice, resources);
    expect(read.ok ? [] : read.diagnostics.map((d) => [d.path, d.message])).toEqual([
      ['spec.ports[1].name', 'duplicates the name of spec.ports[0]'],
      ['spec.ports[2].name', 'required when a Service has several ports'],
    ]);
  });
});
