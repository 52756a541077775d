import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertStrictEnvoy } from '@backendkit/testing';
import { cli } from './run-cli';

/** One Backend of each built-in type, each with a local address somewhere. */
const input = `
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: static-admin}
spec:
  static:
    hosts: [{host: api.example.com, port: 443}, {host: 127.0.0.1, port: 15000}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-1
  labels: {kubernetes.io/service-name: web}
addressType: IPv4
ports: [{name: http, port: 8080}]
endpoints:
- {addresses: [10.0.0.5], zone: a}
- {addresses: [127.0.0.1], zone: a}
- {addresses: [169.254.169.254], zone: b}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: fleet}
spec:
  aws:
    region: eu-west-1
    ec2: {port: 8080}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: local-lambda}
spec:
  aws:
    region: us-east-1
    lambda: {accountId: "123456789012", functionName: hello, endpointURL: "http://127.0.0.1:4566"}
`;

const instances = {
  Reservations: [
    {
      Instances: [
        { InstanceId: 'i-01', State: { Name: 'running' }, PrivateIpAddress: '10.1.0.7', Placement: { AvailabilityZone: 'eu-west-1a' } },
        { InstanceId: 'i-02', State: { Name: 'running' }, PrivateIpAddress: '169.254.10.10', Placement: { AvailabilityZone: 'eu-west-1b' } },
      ],
    },
  ],
};

interface Output {
  clusters: { name: string }[];
  assignments: { clusterName: string; endpoints?: { lbEndpoints?: { endpoint: { address: { socketAddress: { address: string } } } }[] }[] }[];
}

const addresses = (doc: Output, cluster: string) =>
  (doc.assignments.find((e) => e.clusterName === cluster)?.endpoints ?? []).flatMap((l) =>
    (l.lbEndpoints ?? []).map((e) => e.endpoint.address.socketAddress.address),
  );

describe('backendkit translate: local addresses', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'backendkit-local-'));
    writeFileSync(join(dir, 'in.yaml'), input);
    writeFileSync(join(dir, 'instances.json'), JSON.stringify(instances));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('are refused by default: static and inline hosts are errors, discovered endpoints are left out', async () => {
    const { code, stdout, stderr } = await cli(['translate', 'in.yaml', '--ec2-instances', 'instances.json'], '', dir);
    expect(code).toBe(1);
    const doc = JSON.parse(stdout) as Output;
    assertStrictEnvoy(doc as never);
    expect(doc.clusters.map((c) => c.name)).toEqual(['backend_default_fleet_0', 'kube_default_web_80']);
    expect(addresses(doc, 'kube_default_web_80')).toEqual(['10.0.0.5']);
    expect(addresses(doc, 'backend_default_fleet_0')).toEqual(['10.1.0.7']);
    const lines = stderr
      .trim()
      .split('\n')
      .map((l) => l.replace(/; refused unless .*$/, ''));
    expect(lines).toEqual([
      'in.yaml:7:56: error: Backend default/static-admin: spec.static.hosts[1].host: 127.0.0.1 is a loopback address, which reaches the proxy itself (its admin port among others)',
      'in.yaml:9:1: warning: Service default/web: endpoint 127.0.0.1:8080 left out: 127.0.0.1 is a loopback address, which reaches the proxy itself (its admin port among others)',
      "in.yaml:9:1: warning: Service default/web: endpoint 169.254.169.254:8080 left out: 169.254.169.254 is a link-local address, on the proxy's own network link, where cloud metadata services answer (169.254.169.254)",
      "in.yaml:27:1: warning: Backend default/fleet: endpoint 169.254.10.10:8080 left out: 169.254.10.10 is a link-local address, on the proxy's own network link, where cloud metadata services answer (169.254.169.254)",
      'in.yaml:41:75: error: Backend default/local-lambda: spec.aws.lambda.endpointURL: endpoint 127.0.0.1:4566: 127.0.0.1 is a loopback address, which reaches the proxy itself (its admin port among others)',
    ]);
  });

  test('--allow-local-addresses lets them all through', async () => {
    const { code, stdout, stderr } = await cli(['translate', 'in.yaml', '--ec2-instances', 'instances.json', '--allow-local-addresses'], '', dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as Output;
    assertStrictEnvoy(doc as never);
    expect(doc.clusters.map((c) => c.name)).toEqual([
      'backend_default_fleet_0',
      'backend_default_local-lambda_0',
      'backend_default_static-admin_0',
      'kube_default_web_80',
    ]);
    expect(addresses(doc, 'kube_default_web_80')).toEqual(['10.0.0.5', '127.0.0.1', '169.254.169.254']);
    expect(addresses(doc, 'backend_default_fleet_0')).toEqual(['10.1.0.7', '169.254.10.10']);
  });
});
