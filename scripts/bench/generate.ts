import type { KubeObject } from '@backendkit/core';

/**
 * Mixed inputs for the benchmark: N Backends of every built-in type, plus what they read (Services
 * and EndpointSlices, Secrets, EC2 instances). Deterministic: the same N gives the same objects.
 * Each type is one `Kind`; adding a backend type to the benchmark is one more entry in `KINDS`.
 */
export interface Workload {
  objects: KubeObject[];
  /** `aws ec2 describe-instances`-shaped instances for the offline EC2 source. */
  instances: Ec2InstanceJson[];
  /** How many Backends of each kind. */
  counts: Record<string, number>;
}

export interface Ec2InstanceJson {
  InstanceId: string;
  State: { Name: string };
  PrivateIpAddress: string;
  PublicIpAddress?: string;
  Placement: { AvailabilityZone: string };
  Tags: { Key: string; Value: string }[];
}

interface Kind {
  name: string;
  /** Share of the Backends, in percent. */
  share: number;
  /** The Backend number `i` (unique across kinds) and the objects it needs. */
  make(i: number): KubeObject[];
}

const API = 'gateway.kgateway.dev/v1alpha1';
const NAMESPACES = ['shop', 'payments', 'search', 'ads', 'auth', 'media', 'infra', 'data'];
/** EC2 Backends select instances by tag `app`; this many distinct apps. */
const EC2_APPS = 50;
const EC2_INSTANCES_PER_APP = 6;

const ns = (i: number) => NAMESPACES[i % NAMESPACES.length]!;
const ip = (i: number, base: number) => `10.${base}.${(i >> 8) & 255}.${i & 255}`;

function backend(i: number, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: API, kind: 'Backend', metadata: { name, namespace: ns(i) }, spec };
}

export const KINDS: Kind[] = [
  {
    name: 'static-dns',
    share: 25,
    make: (i) => [
      backend(i, `dns-${i}`, { static: { hosts: [{ host: `api-${i}.example.com`, port: 443 }], ...(i % 4 === 0 ? { appProtocol: 'http2' } : {}) } }),
    ],
  },
  {
    name: 'static-ip',
    share: 15,
    make: (i) => [backend(i, `ip-${i}`, { static: { hosts: [0, 1, 2].map((k) => ({ host: ip(i * 3 + k, 20), port: 8080 })) } })],
  },
  {
    name: 'kubernetes',
    share: 30,
    make: (i) => {
      const service = `svc-${i}`;
      const namespace = ns(i);
      return [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: service, namespace, labels: { app: service } },
          spec: {
            ports: [
              { name: 'http', port: 80, targetPort: 8080 },
              { name: 'grpc', port: 9090, appProtocol: 'grpc' },
            ],
          },
        },
        {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: `${service}-abcde`, namespace, labels: { 'kubernetes.io/service-name': service } },
          addressType: 'IPv4',
          ports: [
            { name: 'http', port: 8080 },
            { name: 'grpc', port: 9090 },
          ],
          endpoints: [0, 1, 2, 3].map((k) => ({
            addresses: [ip(i * 4 + k, 40)],
            conditions: { ready: k !== 3 },
            zone: `zone-${k % 2}`,
          })),
        },
        backend(i, `kube-${i}`, { kubernetes: { serviceName: service, servicePort: 80 } }),
      ];
    },
  },
  {
    name: 'aws-lambda',
    share: 15,
    make: (i) => {
      const withSecret = i % 3 === 0;
      const objects: KubeObject[] = [
        backend(i, `fn-${i}`, {
          aws: {
            region: 'us-east-1',
            ...(withSecret ? { auth: { type: 'Secret', secretRef: { name: `aws-creds-${i}` } } } : {}),
            lambda: { accountId: '123456789012', functionName: `function-${i}`, ...(i % 2 === 0 ? { invocationMode: 'Async' } : {}) },
          },
        }),
      ];
      if (withSecret) {
        objects.push({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `aws-creds-${i}`, namespace: ns(i) },
          stringData: { accessKey: `AKIA${String(i).padStart(16, '0')}`, secretKey: `secret-${i}` },
        });
      }
      return objects;
    },
  },
  {
    name: 'aws-ec2',
    share: 15,
    make: (i) => [
      backend(i, `fleet-${i}`, { aws: { region: 'eu-west-1', ec2: { port: 8080, filters: [{ keyValue: { key: 'app', value: `app-${i % EC2_APPS}` } }] } } }),
    ],
  },
];

/** N Backends in the shares of `KINDS` (the remainder goes to the first kind). */
export function generate(n: number, kinds: readonly Kind[] = KINDS): Workload {
  const total = kinds.reduce((sum, k) => sum + k.share, 0);
  const sizes = kinds.map((k) => Math.floor((n * k.share) / total));
  sizes[0]! += n - sizes.reduce((a, b) => a + b, 0);
  const objects: KubeObject[] = [];
  const counts: Record<string, number> = {};
  let i = 0;
  kinds.forEach((kind, k) => {
    counts[kind.name] = sizes[k]!;
    for (let j = 0; j < sizes[k]!; j++) objects.push(...kind.make(i++));
  });
  return { objects, instances: ec2Instances(), counts };
}

/** The fleet the EC2 Backends discover: a few instances per app over three zones, some stopped. */
export function ec2Instances(): Ec2InstanceJson[] {
  const instances: Ec2InstanceJson[] = [];
  for (let app = 0; app < EC2_APPS; app++) {
    for (let k = 0; k < EC2_INSTANCES_PER_APP; k++) {
      const n = app * EC2_INSTANCES_PER_APP + k;
      instances.push({
        InstanceId: `i-${n.toString(16).padStart(17, '0')}`,
        State: { Name: k === 5 ? 'stopped' : 'running' },
        PrivateIpAddress: ip(n, 60),
        ...(k % 2 === 0 ? { PublicIpAddress: `198.51.${(n >> 8) & 255}.${n & 255}` } : {}),
        Placement: { AvailabilityZone: `eu-west-1${'abc'[k % 3]}` },
        Tags: [{ Key: 'app', Value: `app-${app}` }],
      });
    }
  }
  return instances;
}

/** A changed copy of one Backend (for the re-translation measure): same name, different content. */
export function changed(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  copy.metadata = { ...copy.metadata, labels: { ...(copy.metadata.labels ?? {}), revision: 'changed' } };
  const spec = copy.spec as { static?: { hosts: { port: number }[] } };
  if (spec.static) spec.static.hosts[0]!.port = 8443;
  return copy;
}
