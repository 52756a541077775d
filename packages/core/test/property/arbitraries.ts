import fc from 'fast-check';
import type { KubeObject } from '@backendkit/core';
import { refusedAddress } from '@backendkit/core/helpers';

/**
 * fast-check generators of valid Backends of every built-in type, with the objects each reads, and
 * of junk. "Valid" follows each plugin's documented rules (docs/<type>.md), so a failure of the
 * property is a bug in a plugin or in core, not in the generator.
 */

const API = 'gateway.kgateway.dev/v1alpha1';
const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const port = fc.integer({ min: 1, max: 65535 });
const namespace = fc.constantFrom('default', 'team-a', 'team-b');

/** Public-looking addresses: never loopback, unspecified or link-local (those are refused by design). */
const ipv4 = fc.ipV4().filter((ip) => refusedAddress(ip) === undefined);
const ipv6 = fc.ipV6().filter((ip) => refusedAddress(ip) === undefined);
const dnsName = fc
  .array(fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/), { minLength: 1, maxLength: 3 })
  .chain((labels) => fc.constantFrom(...['com', 'org', 'example', 'internal']).map((tld) => [...labels, tld].join('.')))
  .filter((name) => refusedAddress(name) === undefined);

/** An EC2 instance as the aws-ec2 plugin's sources hand it over (`Ec2Instance` there). */
export interface Instance {
  instanceId: string;
  state: string;
  availabilityZone?: string;
  privateIpAddress?: string;
  publicIpAddress?: string;
  tags: Readonly<Record<string, string>>;
}

/**
 * The aws-ec2 plugin's source token (a `Symbol.for`, so it is the same symbol here) and a fixed
 * source, written out so that core's tests need no aws-ec2 import.
 */
export const EC2_INSTANCE_SOURCE = Symbol.for('backendkit.aws-ec2.InstanceSource');
export function offlineInstances(instances: readonly Instance[]) {
  const state = { status: 'ok', instances };
  return { lookup: () => state, cacheVersion: 'fixed' };
}

export interface World {
  objects: KubeObject[];
  instances: Instance[];
}

const backend = (name: string, ns: string, spec: object): KubeObject => ({ apiVersion: API, kind: 'Backend', metadata: { name, namespace: ns }, spec });

/** One Backend and what it needs, given a unique index. */
type Part = (i: number) => fc.Arbitrary<KubeObject[]>;

const staticPart: Part = (i) =>
  fc
    .record({
      ns: namespace,
      hosts: fc.array(fc.record({ host: fc.oneof(dnsName, ipv4, ipv6), port }), { minLength: 1, maxLength: 4 }),
      appProtocol: fc.option(fc.constantFrom('http2', 'grpc', 'grpc-web', 'kubernetes.io/h2c', 'kubernetes.io/ws'), { nil: undefined }),
      legacy: fc.boolean(),
    })
    .map(({ ns, hosts, appProtocol, legacy }) => [
      backend(`static-${i}`, ns, { ...(legacy ? { type: 'Static' } : {}), static: { hosts, ...(appProtocol ? { appProtocol } : {}) } }),
    ]);

const kubernetesPart: Part = (i) =>
  fc
    .record({
      ns: namespace,
      ports: fc.uniqueArray(fc.record({ name: label, port, appProtocol: fc.option(fc.constantFrom('http2', 'grpc', 'http'), { nil: undefined }) }), {
        minLength: 1,
        maxLength: 3,
        selector: (p) => p.name,
      }),
      endpoints: fc.array(
        fc.record({ address: ipv4, ready: fc.option(fc.boolean(), { nil: undefined }), zone: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }) }),
        {
          maxLength: 5,
        },
      ),
      pick: fc.nat(),
      otherNamespace: fc.boolean(),
    })
    .filter(({ ports }) => new Set(ports.map((p) => p.port)).size === ports.length)
    .map(({ ns, ports, endpoints, pick, otherNamespace }) => {
      const service = `svc-${i}`;
      const serviceNs = otherNamespace ? 'services' : ns;
      const chosen = ports[pick % ports.length]!;
      return [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: service, namespace: serviceNs },
          spec: { ports: ports.map((p) => ({ name: p.name, port: p.port, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })) },
        },
        {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: `${service}-x`, namespace: serviceNs, labels: { 'kubernetes.io/service-name': service } },
          addressType: 'IPv4',
          ports: ports.map((p) => ({ name: p.name, port: p.port + 1 > 65535 ? 1 : p.port + 1 })),
          endpoints: endpoints.map((e) => ({
            addresses: [e.address],
            ...(e.ready === undefined ? {} : { conditions: { ready: e.ready } }),
            ...(e.zone ? { zone: e.zone } : {}),
          })),
        },
        backend(`kube-${i}`, ns, {
          kubernetes: { serviceName: service, ...(otherNamespace ? { serviceNamespace: serviceNs } : {}), servicePort: chosen.port },
        }),
      ] as KubeObject[];
    });

const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-south-2');
const accountId = fc.stringMatching(/^[0-9]{12}$/);
const secretFor = (name: string, ns: string, sessionToken: boolean): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: ns },
  stringData: { accessKey: `AKIA${name.length}`, secretKey: `secret/${name}`, ...(sessionToken ? { sessionToken: 'token' } : {}) },
});

const lambdaPart: Part = (i) =>
  fc
    .record({
      ns: namespace,
      region,
      account: accountId,
      accountOnAws: fc.boolean(),
      functionName: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
      qualifier: fc.option(fc.oneof(fc.constant('$LATEST'), fc.stringMatching(/^[0-9]{1,4}$/), fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/)), { nil: undefined }),
      invocationMode: fc.option(fc.constantFrom('Sync', 'Async'), { nil: undefined }),
      payloadTransformMode: fc.option(fc.constantFrom('Envoy', 'None'), { nil: undefined }),
      endpoint: fc.option(fc.record({ scheme: fc.constantFrom('http', 'https'), host: fc.oneof(dnsName, ipv4), port }), { nil: undefined }),
      secret: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map(({ ns, region, account, accountOnAws, functionName, qualifier, invocationMode, payloadTransformMode, endpoint, secret }) => {
      const secretName = `creds-${i}`;
      const lambda = {
        ...(accountOnAws ? {} : { accountId: account }),
        functionName,
        ...(qualifier ? { qualifier } : {}),
        ...(invocationMode ? { invocationMode } : {}),
        ...(payloadTransformMode ? { payloadTransformMode } : {}),
        ...(endpoint ? { endpointURL: `${endpoint.scheme}://${endpoint.host}:${endpoint.port}` } : {}),
      };
      const aws = {
        region,
        ...(accountOnAws ? { accountId: account } : {}),
        ...(secret !== undefined ? { auth: { type: 'Secret', secretRef: { name: secretName } } } : {}),
        lambda,
      };
      return [backend(`fn-${i}`, ns, { aws }), ...(secret !== undefined ? [secretFor(secretName, ns, secret)] : [])];
    });

const ec2Part: Part = (i) =>
  fc
    .record({
      ns: namespace,
      region,
      port: fc.option(port, { nil: undefined }),
      addressType: fc.option(fc.constantFrom('PrivateIP', 'PublicIP'), { nil: undefined }),
      filters: fc.array(fc.oneof(fc.record({ key: label }), fc.record({ keyValue: fc.record({ key: label, value: fc.string({ maxLength: 6 }) }) })), {
        maxLength: 4,
      }),
      secret: fc.boolean(),
    })
    .map(({ ns, region, port, addressType, filters, secret }) => {
      const ec2 = { ...(port ? { port } : {}), ...(addressType ? { addressType } : {}), filters };
      const aws = { region, ...(secret ? { auth: { type: 'Secret', secretRef: { name: `ec2-creds-${i}` } } } : {}), ec2 };
      return [backend(`fleet-${i}`, ns, { aws }), ...(secret ? [secretFor(`ec2-creds-${i}`, ns, false)] : [])];
    });

/** The built-in Backend types, by name; a new one is one more entry (and one in PART_NAMES). */
export const PARTS: Record<string, Part> = { static: staticPart, kubernetes: kubernetesPart, 'aws.lambda': lambdaPart, 'aws.ec2': ec2Part };

const instance = fc.record({
  instanceId: fc.stringMatching(/^i-[0-9a-f]{8}$/),
  state: fc.constantFrom('running', 'running', 'stopped'),
  availabilityZone: fc.constantFrom('us-east-1a', 'eu-west-1b', 'eu-west-1c', 'ap-south-2a'),
  privateIpAddress: fc.option(ipv4, { nil: undefined }),
  publicIpAddress: fc.option(ipv4, { nil: undefined }),
  tags: fc.dictionary(label, fc.string({ maxLength: 6 }), { maxKeys: 3 }),
}) as fc.Arbitrary<Instance>;

/** 1 to 6 valid Backends of random types, what they read, and the EC2 instances on offer. */
export const world: fc.Arbitrary<World> = fc
  .record({
    kinds: fc.array(fc.constantFrom(...Object.keys(PARTS)), { minLength: 1, maxLength: 6 }),
    instances: fc.uniqueArray(instance, { maxLength: 8, selector: (x) => x.instanceId }),
  })
  .chain(({ kinds, instances }) => fc.tuple(...kinds.map((kind, i) => PARTS[kind]!(i))).map((parts) => ({ objects: parts.flat(), instances })));

// ---- junk

/** Keys a parser or a careless merge might trip on. */
const nastyKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  'a.b',
  '[0]',
  '"q"',
  '\u0000',
  'spec',
  'static',
  'hosts',
);
const key = fc.oneof(nastyKey, fc.string({ maxLength: 8 }));
const hugeString = fc.nat({ max: 3 }).map((n) => 'x'.repeat(10 ** (n + 3)));
const leaf = fc.oneof(fc.string({ maxLength: 12 }), hugeString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));

/** Any JSON-ish value, with nasty keys, huge strings, and sometimes absurd nesting. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
    })).value,
  },
  { weight: 1, arbitrary: fc.nat({ max: 3000 }).map((depth) => nest(depth)) },
);

function nest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/**
 * Ways to break a valid spec for sure: a wrong type, a missing required field, an unknown key, a
 * string far too long, a subtree replaced by deep nesting. Applied at a path inside `spec`.
 */
export const breakage = fc.constantFrom('wrong type', 'missing field', 'unknown key', 'huge string', 'deep nesting');
