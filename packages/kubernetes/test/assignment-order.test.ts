import fc from 'fast-check';
import { propertyRuns } from '@backendkit/testing';
import { compareAddresses, compareStrings } from '@backendkit/core/helpers';
import { buildAssignment, type Slice } from '../src/endpoints';
import type { Locality } from '../src/locality';

// buildAssignment sorts a Service port's few localities and endpoints by hand (an insertion sort:
// `sort` makes a work array per call). The order must be the one `Array.prototype.sort` gives.

const RUNS = propertyRuns(1000);

const address = fc.oneof(
  fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 20 })).map(([a, b]) => `10.0.${a}.${b}`),
  fc.constantFrom('fd00::1', 'fd00::10', '10.0.0.01', 'zzz'),
);
const zone = fc.constantFrom('', 'a', 'b', 'c');
const endpoint = fc.record({ addresses: fc.array(address, { minLength: 1, maxLength: 2 }), ready: fc.boolean(), zone });
const slice = (name: string) =>
  fc.array(endpoint, { maxLength: 12 }).map((endpoints): Slice => ({
    name,
    namespace: 'default',
    ports: [{ name: 'http', port: 8080 }],
    endpoints: endpoints.map((e) => ({ addresses: e.addresses, ready: e.ready, place: { zone: e.zone } })),
  }));
const port = { name: 'http', port: 80, protocol: 'TCP', index: 0 };
const locate = (place: { zone: string }): Locality => ({ region: place.zone === 'c' ? 'r2' : 'r1', zone: place.zone, subZone: '' });

test('property: localities and endpoints in the order Array.prototype.sort gives', () => {
  fc.assert(
    fc.property(fc.tuple(slice('s-2'), slice('s-1')), (slices) => {
      const { endpoints = [] } = buildAssignment(slices, port, 1, locate) as {
        endpoints?: Array<{ locality?: Partial<Locality>; lbEndpoints: Array<{ endpoint: { address: { socketAddress: { address: string } } } }> }>;
      };
      const keys = endpoints.map((e) => [e.locality?.region ?? '', e.locality?.zone ?? '', e.locality?.subZone ?? ''] as const);
      const sortedKeys = [...keys].sort((a, b) => compareStrings(a[0], b[0]) || compareStrings(a[1], b[1]) || compareStrings(a[2], b[2]));
      expect(keys).toEqual(sortedKeys);
      for (const locality of endpoints) {
        const addresses = locality.lbEndpoints.map((lb) => lb.endpoint.address.socketAddress.address);
        expect(addresses).toEqual([...addresses].sort(compareAddresses));
      }
      // Every ready address once.
      const ready = new Set(slices.flatMap((s) => s.endpoints.filter((e) => e.ready).flatMap((e) => e.addresses)));
      expect(endpoints.flatMap((l) => l.lbEndpoints.map((lb) => lb.endpoint.address.socketAddress.address)).sort()).toEqual([...ready].sort());
    }),
    { numRuns: RUNS },
  );
});
