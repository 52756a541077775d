import fc from 'fast-check';
import { InstancesFileError, awsEc2Schema, matchesFilters, parseDescribeInstances, selectEndpoints, zoneInRegion, type Ec2Instance } from '@backendkit/aws-ec2';
import { refusedAddress } from '@backendkit/core/helpers';
import { sharedSelection } from '../src/assignment';

describe('parseDescribeInstances', () => {
  test('reads the fields backendkit uses and ignores the rest', () => {
    const json = JSON.stringify({
      Reservations: [
        {
          ReservationId: 'r-1',
          Groups: [],
          Instances: [
            {
              InstanceId: 'i-1',
              ImageId: 'ami-1',
              State: { Code: 16, Name: 'running' },
              PrivateIpAddress: '10.0.0.1',
              PublicIpAddress: '198.51.100.1',
              Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' },
              Tags: [
                { Key: 'app', Value: 'api' },
                { Key: 'empty', Value: '' },
              ],
              NetworkInterfaces: [{ PrivateIpAddresses: [] }],
            },
            { InstanceId: 'i-2', State: { Name: 'terminated' } },
          ],
        },
        { Instances: [] },
      ],
    });
    expect(parseDescribeInstances(json)).toEqual<Ec2Instance[]>([
      {
        instanceId: 'i-1',
        state: 'running',
        availabilityZone: 'us-east-1a',
        privateIpAddress: '10.0.0.1',
        publicIpAddress: '198.51.100.1',
        tags: { app: 'api', empty: '' },
      },
      { instanceId: 'i-2', state: 'terminated', tags: {} },
    ]);
  });

  test.each([
    ['not JSON', '{"Reservations": [', /^ec2.json is not valid JSON: /],
    ['an array', '[]', /^ec2.json is not describe-instances output: \(top level\): must be the JSON object that `aws ec2 describe-instances` prints/],
    ['no Reservations', '{"Instances": []}', /^ec2.json is not describe-instances output: Reservations: must be a list$/],
    [
      'an instance without InstanceId',
      '{"Reservations": [{"Instances": [{"State": {"Name": "running"}}]}]}',
      /Reservations\[0\]\.Instances\[0\]\.InstanceId: must be a string$/,
    ],
    [
      'a State without Name',
      '{"Reservations": [{"Instances": [{"InstanceId": "i-1", "State": {}}]}]}',
      /Reservations\[0\]\.Instances\[0\]\.State\.Name: must be a string$/,
    ],
    [
      'tags of the wrong shape',
      '{"Reservations": [{"Instances": [{"InstanceId": "i-1", "State": {"Name": "running"}, "Tags": {"app": "x"}}]}]}',
      /Instances\[0\]\.Tags: must be a list of \{Key, Value\}$/,
    ],
  ])('%s is a clear InstancesFileError', (_, json, message) => {
    const parse = () => parseDescribeInstances(json, 'ec2.json');
    expect(parse).toThrow(InstancesFileError);
    expect(parse).toThrow(message);
  });

  test('many problems are summed up, not all listed', () => {
    const instances = Array.from({ length: 8 }, () => ({ State: { Name: 'running' } }));
    expect(() => parseDescribeInstances(JSON.stringify({ Reservations: [{ Instances: instances }] }), 'f')).toThrow(/\(and 3 more\)$/);
  });
});

describe('zoneInRegion', () => {
  test.each([
    ['us-east-1a', 'us-east-1', true],
    ['us-east-1f', 'us-east-1', true],
    ['eu-central-2c', 'eu-central-2', true],
    ['us-west-2-lax-1a', 'us-west-2', true],
    ['us-east-1-wl1-bos-wlz-1', 'us-east-1', true],
    ['us-east-1a', 'us-east-2', false],
    ['us-east-12a', 'us-east-1', false],
    ['us-west-2a', 'us-west-2-lax-1', false],
    ['us-east-1a', 'us-east', false],
    ['us-east-1a', 'us', false],
    ['us-east-1-1a', 'us-east-1', false],
  ])('%s in %s: %s', (zone, region, expected) => expect(zoneInRegion(zone, region)).toBe(expected));
});

describe('schema defaults', () => {
  test('an empty ec2 object means port 80, private IPs, no filters, region us-east-1', () => {
    expect(awsEc2Schema.parse({ ec2: {} })).toEqual({ region: 'us-east-1', ec2: { port: 80, addressType: 'PrivateIP', filters: [] } });
  });
});

describe('selectEndpoints is deterministic', () => {
  const octet = fc.integer({ min: 0, max: 3 });
  const instance = fc.record({
    instanceId: fc.stringMatching(/^i-[0-9a-f]{3}$/),
    state: fc.constantFrom('running', 'running', 'stopped'),
    availabilityZone: fc.constantFrom('us-east-1a', 'us-east-1b', 'us-west-2a'),
    privateIpAddress: fc.tuple(octet, octet).map(([a, b]) => `10.0.${a}.${b}`),
    tags: fc.dictionary(fc.constantFrom('app', 'team'), fc.constantFrom('a', 'b')),
  });
  const spec = { port: 80, addressType: 'PrivateIP' as const, filters: [{ key: 'app' }] };

  test('the same instances in any order give the same assignment and warnings', () => {
    fc.assert(
      fc.property(fc.uniqueArray(instance, { selector: (i) => i.instanceId, maxLength: 25 }), fc.infiniteStream(fc.nat()), (instances, randoms) => {
        const shuffled = [...instances].sort(() => (randoms.next().value % 3) - 1);
        expect(selectEndpoints(shuffled, spec, 'us-east-1')).toEqual(selectEndpoints(instances, spec, 'us-east-1'));
      }),
    );
  });

  test('any filters select what they select over the whole fleet, however the index narrows the candidates', () => {
    // The index looks at the instances of one filter's tag (and value) only (docs/performance.md).
    const filter = fc.oneof(
      fc.record({ key: fc.constantFrom('app', 'team', 'none') }),
      fc.record({ keyValue: fc.record({ key: fc.constantFrom('app', 'team', 'none'), value: fc.constantFrom('a', 'b', '') }) }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(instance, { selector: (i) => i.instanceId, maxLength: 25 }), fc.array(filter, { maxLength: 3 }), (instances, filters) => {
        const selection = selectEndpoints(instances, { ...spec, filters }, 'us-east-1');
        const running = instances.filter((i) => i.state === 'running' && i.availabilityZone.startsWith('us-east-1'));
        const matching = running.filter((i) => matchesFilters(i, filters));
        expect([selection.running, selection.matching]).toEqual([running.length, matching.length]);
        const served = (selection.assignment.endpoints ?? []).flatMap((l) =>
          (l.lbEndpoints ?? []).map((e) => (e.metadata?.filterMetadata?.['io.backendkit.aws_ec2'] as { instanceId: string }).instanceId),
        );
        const kept = new Map<string, string>();
        for (const i of matching) if (!kept.has(i.privateIpAddress) || i.instanceId < kept.get(i.privateIpAddress)!) kept.set(i.privateIpAddress, i.instanceId);
        expect([...served].sort()).toEqual([...kept.values()].sort());
      }),
    );
  });

  test('Backends that select the same instances share one frozen selection, the one selectEndpoints makes', () => {
    const filter = fc.oneof(
      fc.record({ key: fc.constantFrom('app', 'team') }),
      fc.record({ keyValue: fc.record({ key: fc.constantFrom('app', 'team'), value: fc.constantFrom('a', 'b') }) }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(instance, { selector: (i) => i.instanceId, maxLength: 25 }),
        fc.array(filter, { maxLength: 2 }),
        fc.array(filter, { maxLength: 2 }),
        fc.boolean(),
        (instances, filters, others, screened) => {
          const one = sharedSelection(instances, { ...spec, filters }, 'us-east-1', screened);
          expect(one).toEqual(selectEndpoints(instances, { ...spec, filters }, 'us-east-1', screened ? (a) => refusedAddress(a) === undefined : undefined));
          expect(Object.isFrozen(one.assignment)).toBe(true);
          // The same spec read again (a copy): the same object; another one: its own selection.
          expect(sharedSelection(instances, { ...spec, filters: structuredClone(filters) }, 'us-east-1', screened)).toBe(one);
          const other = sharedSelection(instances, { ...spec, filters: others }, 'us-east-1', screened);
          if (JSON.stringify(others) !== JSON.stringify(filters)) expect(other).not.toBe(one);
          expect(other).toEqual(
            selectEndpoints(instances, { ...spec, filters: others }, 'us-east-1', screened ? (a) => refusedAddress(a) === undefined : undefined),
          );
          // Another instance list (the source's next pass) is selected anew.
          expect(sharedSelection([...instances], { ...spec, filters }, 'us-east-1', screened)).not.toBe(one);
        },
      ),
    );
  });

  test('every address appears once, served by the lowest instance id that has it', () => {
    fc.assert(
      fc.property(fc.uniqueArray(instance, { selector: (i) => i.instanceId, maxLength: 25 }), (instances) => {
        const { assignment } = selectEndpoints(instances, spec, 'us-east-1');
        const served = (assignment.endpoints ?? []).flatMap((l) =>
          (l.lbEndpoints ?? []).map((e) => ({
            address: e.endpoint?.address?.socketAddress?.address as string,
            id: (e.metadata?.filterMetadata?.['io.backendkit.aws_ec2'] as { instanceId: string }).instanceId,
          })),
        );
        expect(new Set(served.map((s) => s.address)).size).toBe(served.length);
        for (const { address, id } of served) {
          const owners = instances
            .filter((i) => i.state === 'running' && i.availabilityZone.startsWith('us-east-1') && 'app' in i.tags && i.privateIpAddress === address)
            .map((i) => i.instanceId)
            .sort();
          expect(id).toBe(owners[0]);
        }
      }),
    );
  });
});
