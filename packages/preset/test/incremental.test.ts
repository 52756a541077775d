import fc from 'fast-check';
import { formatDiagnostic, toOutputDocument, type KubeObject, type TranslationResult } from '@backendkit/core';
import { EC2_INSTANCE_SOURCE, staticInstanceSource, type Ec2Instance, type InstanceSource } from '@backendkit/aws-ec2';
import { createDefaultTranslator } from '@backendkit/preset';

/** A small world of every built-in type, with what each reads (Services, slices, Secrets, instances). */
function world(): KubeObject[] {
  const objects: KubeObject[] = [];
  const backend = (name: string, spec: object, namespace = 'team'): KubeObject => ({
    apiVersion: 'gateway.kgateway.dev/v1alpha1',
    kind: 'Backend',
    metadata: { name, namespace },
    spec,
  });
  for (let i = 0; i < 4; i++) {
    objects.push(backend(`dns-${i}`, { static: { hosts: [{ host: `api-${i}.example.com`, port: 443 }], ...(i % 2 ? { appProtocol: 'http2' } : {}) } }));
    objects.push(backend(`ip-${i}`, { static: { hosts: [{ host: `192.0.2.${i + 1}`, port: 80 }] } }));
    objects.push(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `svc-${i}`, namespace: 'team' },
        spec: {
          ports: [
            { name: 'http', port: 80 },
            { name: 'grpc', port: 9090, appProtocol: 'grpc' },
          ],
        },
      },
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `svc-${i}-a`, namespace: 'team', labels: { 'kubernetes.io/service-name': `svc-${i}` } },
        addressType: 'IPv4',
        ports: [
          { name: 'http', port: 8080 },
          { name: 'grpc', port: 9090 },
        ],
        endpoints: [
          { addresses: [`10.0.${i}.1`], zone: 'a' },
          { addresses: [`10.0.${i}.2`], zone: 'b' },
        ],
      },
      backend(`kube-${i}`, { kubernetes: { serviceName: `svc-${i}`, servicePort: 80 } }),
    );
    objects.push(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `creds-${i}`, namespace: 'team' },
        stringData: { accessKey: `AKIA${i}`, secretKey: `secret-${i}` },
      },
      backend(`fn-${i}`, {
        aws: { region: 'us-east-1', auth: { type: 'Secret', secretRef: { name: `creds-${i}` } }, lambda: { accountId: '123456789012', functionName: `f${i}` } },
      }),
      backend(`fleet-${i}`, { aws: { region: 'eu-west-1', ec2: { port: 8080, filters: [{ keyValue: { key: 'app', value: `app-${i % 2}` } }] } } }),
    );
  }
  return objects;
}

function instances(generation: number): Ec2Instance[] {
  return [0, 1, 2, 3].map((k) => ({
    instanceId: `i-${generation}${k}`,
    state: 'running',
    privateIpAddress: `10.9.${generation}.${k + 1}`,
    availabilityZone: `eu-west-1${'ab'[k % 2]}`,
    tags: { app: `app-${k % 2}` },
  }));
}

/** Everything a caller sees of a translation, as text. */
function observable(result: TranslationResult): string {
  return JSON.stringify({ ...toOutputDocument(result), diagnostics: result.diagnostics.map(formatDiagnostic), targets: result.targets });
}

/**
 * Gives objects `metadata.resourceVersion` as Kubernetes does: a new version whenever the content of
 * the object with that key changed since the last stamp (in place or as a new object), the same
 * one otherwise. `kept` holds the keys whose version stayed, each stamp.
 */
class Versions {
  private next = 0;
  private readonly last = new Map<string, { content: string; version: string }>();
  kept = new Set<string>();

  keyOf(object: KubeObject): string {
    return `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`;
  }

  stamp(objects: KubeObject[]): KubeObject[] {
    const seen = new Map<string, { content: string; version: string }>();
    this.kept = new Set();
    for (const object of objects) {
      const key = this.keyOf(object);
      const { resourceVersion: _, ...metadata } = object.metadata;
      const content = JSON.stringify({ ...object, metadata });
      const was = seen.get(key) ?? this.last.get(key);
      const version = was && was.content === content ? was.version : String(++this.next);
      if (was && was.content === content && !seen.has(key)) this.kept.add(key);
      if (object.metadata.resourceVersion !== version) object.metadata.resourceVersion = version;
      if (!seen.has(key)) seen.set(key, { content, version });
    }
    this.last.clear();
    for (const [key, value] of seen) this.last.set(key, value);
    return objects;
  }
}

type Edit = (objects: KubeObject[], source: { current: InstanceSource }) => KubeObject[];
const pick = (objects: KubeObject[], kind: string, n: number) =>
  objects.filter((o) => o.kind === kind)[n % Math.max(1, objects.filter((o) => o.kind === kind).length)];
const replace = (objects: KubeObject[], old: KubeObject | undefined, next: KubeObject | undefined) =>
  old ? objects.flatMap((o) => (o === old ? (next ? [next] : []) : [o])) : objects;
const clone = <T>(value: T): T => structuredClone(value);

/** Edits a control plane sees: specs, Services, slices and Secrets changing, objects coming and going. */
const edits: Array<[string, (n: number) => Edit]> = [
  [
    'change a static port',
    (n) => (objects) => {
      const statics = objects.filter((o) => o.kind === 'Backend' && (o.spec as { static?: unknown }).static);
      const old = statics[n % Math.max(1, statics.length)];
      if (!old) return objects;
      const next = clone(old);
      // A broken Backend ('break a Backend') has no host left to change.
      const host = (next.spec as { static: { hosts: { port: number }[] } }).static.hosts[0];
      if (host) host.port = 1000 + n;
      return replace(objects, old, next);
    },
  ],
  [
    'make a host local (refused)',
    (n) => (objects) => {
      const old = objects.find((o) => o.metadata.name === `ip-${n % 4}`);
      if (!old) return objects;
      const next = clone(old);
      const host = (next.spec as { static?: { hosts: { host: string }[] } }).static?.hosts[0];
      if (host) host.host = '127.0.0.1';
      return replace(objects, old, next);
    },
  ],
  [
    'break a Backend',
    (n) => (objects) => {
      const old = pick(objects, 'Backend', n);
      const next = clone(old!);
      next.spec = { static: { hosts: [] }, kubernetes: 'x' };
      return replace(objects, old, next);
    },
  ],
  ['delete a Backend', (n) => (objects) => replace(objects, pick(objects, 'Backend', n), undefined)],
  [
    'add a Backend',
    (n) => (objects) => [
      ...objects,
      {
        apiVersion: 'gateway.kgateway.dev/v1alpha1',
        kind: 'Backend',
        metadata: { name: `new-${n}`, namespace: 'team' },
        spec: { kubernetes: { serviceName: `svc-${n % 5}`, servicePort: 80 } },
      },
    ],
  ],
  ['duplicate a Backend', (n) => (objects) => [...objects, clone(pick(objects, 'Backend', n)!)]],
  [
    'change a Service port',
    (n) => (objects) => {
      const old = pick(objects, 'Service', n);
      const next = clone(old!);
      (next.spec as { ports: { port: number }[] }).ports[0]!.port = 81;
      return replace(objects, old, next);
    },
  ],
  ['delete a Service', (n) => (objects) => replace(objects, pick(objects, 'Service', n), undefined)],
  [
    'move an endpoint',
    (n) => (objects) => {
      const old = pick(objects, 'EndpointSlice', n);
      const next = clone(old!);
      (next.endpoints as { addresses: string[] }[])[0]!.addresses = [`10.7.7.${n % 250}`];
      return replace(objects, old, next);
    },
  ],
  [
    'add a slice',
    (n) => (objects) => [
      ...objects,
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `extra-${n}`, namespace: 'team', labels: { 'kubernetes.io/service-name': `svc-${n % 4}` } },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8081 }],
        endpoints: [{ addresses: ['10.8.8.8'], zone: 'c' }],
      },
    ],
  ],
  [
    'rotate a Secret',
    (n) => (objects) => {
      const old = pick(objects, 'Secret', n);
      const next = clone(old!);
      next.stringData = { accessKey: `AKIA-rotated-${n}`, secretKey: 'rotated' };
      return replace(objects, old, next);
    },
  ],
  ['delete a Secret', (n) => (objects) => replace(objects, pick(objects, 'Secret', n), undefined)],
  [
    'change an object in place (same identity)',
    (n) => (objects) => {
      const target = pick(objects, 'Backend', n)!;
      target.metadata.labels = { touched: String(n) };
      if ((target.spec as { static?: { hosts: { port: number }[] } }).static?.hosts[0])
        (target.spec as { static: { hosts: { port: number }[] } }).static.hosts[0]!.port = 2000 + n;
      return objects;
    },
  ],
  ['replace every object by an equal copy', () => (objects) => clone(objects)],
  ['reorder the objects', (n) => (objects) => [...objects.slice(n % objects.length), ...objects.slice(0, n % objects.length)]],
  [
    'new EC2 instances',
    (n) => (objects, source) => {
      source.current = { ...staticInstanceSource(instances(n % 7)), cacheVersion: `generation-${n}` };
      return objects;
    },
  ],
];

/**
 * An instance source the edits can swap: the translator resolves it through a stable proxy, so what it
 * answers changes while the translator keeps the same object.
 */
function liveInstances(): { source: { current: InstanceSource }; live: InstanceSource } {
  const source = { current: staticInstanceSource(instances(0)) as InstanceSource };
  const live: InstanceSource = {
    lookup: (target) => source.current.lookup(target),
    get cacheVersion() {
      return source.current.cacheVersion;
    },
  };
  return { source, live };
}

describe('incremental translation', () => {
  test('after any sequence of edits, the output is byte-identical to a fresh translation', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: edits.length - 1 }), fc.nat(1000)), { minLength: 1, maxLength: 8 }), (steps) => {
        let objects = world();
        const { source, live } = liveInstances();
        const incremental = createDefaultTranslator({ provide: [[EC2_INSTANCE_SOURCE, live]] });
        incremental.translate(objects);
        for (const [edit, n] of steps) {
          objects = edits[edit]![1](n)(objects, source);
          const fresh = createDefaultTranslator({ provide: [[EC2_INSTANCE_SOURCE, live]], incremental: false }).translate(objects);
          expect(observable(incremental.translate(objects))).toBe(observable(fresh));
        }
      }),
      { numRuns: 60, seed: 20261126 },
    );
  });

  test('with resourceVersions (the delta path): equal to a fresh translation after every edit, unchanged clusters keep their identity', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: edits.length - 1 }), fc.nat(1000)), { minLength: 1, maxLength: 8 }), (steps) => {
        const versions = new Versions();
        let objects = versions.stamp(world());
        const { source, live } = liveInstances();
        const incremental = createDefaultTranslator({ provide: [[EC2_INSTANCE_SOURCE, live]] });
        let last = incremental.translate(objects);
        for (const [edit, n] of steps) {
          objects = versions.stamp(edits[edit]![1](n)(objects, source));
          const fresh = createDefaultTranslator({ provide: [[EC2_INSTANCE_SOURCE, live]], incremental: false }).translate(objects);
          const result = incremental.translate(objects);
          expect(observable(result)).toBe(observable(fresh));
          // A static Backend reads nothing else: while its own version stays, so does its cluster.
          const before = new Map(last.clusters.map((c) => [c.name, c]));
          for (const backend of objects) {
            if (backend.kind !== 'Backend' || !(backend.spec as { static?: unknown }).static || !versions.kept.has(versions.keyOf(backend))) continue;
            const cluster = result.clusters.find((c) => c.name === `backend_${backend.metadata.namespace}_${backend.metadata.name}_0`);
            if (cluster && before.has(cluster.name)) expect(cluster).toBe(before.get(cluster.name));
          }
          last = result;
        }
      }),
      { numRuns: 80, seed: 20261202 },
    );
  });

  test('unchanged Backends are reused, changed ones and those whose Secret or slices changed are not', () => {
    const objects = world();
    const source: InstanceSource = staticInstanceSource(instances(0));
    const translator = createDefaultTranslator({ provide: [[EC2_INSTANCE_SOURCE, source]] });
    const byName = (result: TranslationResult) => new Map(result.clusters.map((c) => [c.name, c]));
    const first = byName(translator.translate(objects));

    // Equal copies, new identities: everything is reused.
    const copies = structuredClone(objects);
    const second = byName(translator.translate(copies));
    for (const [name, cluster] of first) expect(second.get(name)).toBe(cluster);

    // A rotated Secret: only the Lambda that reads it is translated again.
    const rotated = copies.map((o) =>
      o.kind === 'Secret' && o.metadata.name === 'creds-1' ? { ...o, stringData: { accessKey: 'AKIA-new', secretKey: 'new' } } : o,
    );
    const third = byName(translator.translate(rotated));
    const changed = [...first.keys()].filter((name) => third.get(name) !== first.get(name));
    expect(changed).toEqual(['backend_team_fn-1_0']);
    expect(JSON.stringify(toOutputDocument(translator.translate(rotated)).clusters)).toContain('AKIA-new');

    // A moved endpoint: the Service's port clusters and the Backend that stands for one of them.
    const moved = rotated.map((o) =>
      o.kind === 'EndpointSlice' && o.metadata.name === 'svc-2-a' ? { ...o, endpoints: [{ addresses: ['10.5.5.5'], zone: 'a' }] } : o,
    );
    const assignments = (result: TranslationResult) => new Map(result.assignments.map((a) => [a.clusterName, a]));
    const before = assignments(translator.translate(rotated));
    const after = assignments(translator.translate(moved));
    expect([...after.keys()].filter((name) => after.get(name) !== before.get(name))).toEqual([
      'backend_team_kube-2_0',
      'kube_team_svc-2_80',
      'kube_team_svc-2_9090',
    ]);
  });

  test('a source without cacheVersion is read afresh every time; with one, until it changes', () => {
    const objects = world();
    let lookups = 0;
    const counting = (version?: string): InstanceSource => ({
      lookup: (target) => {
        lookups++;
        return staticInstanceSource(instances(0)).lookup(target);
      },
      ...(version ? { cacheVersion: version } : {}),
    });
    const unversioned = createDefaultTranslator({ provide: [[EC2_INSTANCE_SOURCE, counting()]] });
    unversioned.translate(objects);
    lookups = 0;
    unversioned.translate(objects);
    expect(lookups).toBe(4);

    const versioned = createDefaultTranslator({ provide: [[EC2_INSTANCE_SOURCE, counting('v1')]] });
    versioned.translate(objects);
    lookups = 0;
    versioned.translate(objects);
    expect(lookups).toBe(0);
  });

  test('incremental: false translates everything every time', () => {
    const objects = world();
    const translator = createDefaultTranslator({ provide: [[EC2_INSTANCE_SOURCE, staticInstanceSource(instances(0))]], incremental: false });
    const first = translator.translate(objects).clusters;
    const second = translator.translate(objects).clusters;
    expect(second.map((c) => c.name)).toEqual(first.map((c) => c.name));
    second.forEach((cluster, i) => expect(cluster).not.toBe(first[i]));
  });
});
