import type { KubeObject } from '@backendkit/core';
import type { Ec2InstanceJson, Workload } from './generate';

/**
 * The floor: the same output document as backendkit's, built by hand as plain objects from the
 * benchmark's own inputs (which it knows to be valid: no validation, no schema, no merging) and
 * passed to `JSON.stringify`. What no translator can beat; the benchmark checks that both print the
 * same bytes. Written for the shapes `generate` makes, nothing else.
 */
type Json = Record<string, unknown>;

const HPO = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
const TYPE = 'type.googleapis.com/';
const http2Options = () => ({ [HPO]: { explicitHttpConfig: { http2ProtocolOptions: {} }, '@type': `${TYPE}${HPO}` } });
const accepted = () => ({ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Backend accepted' });
const edsCluster = (name: string, http2: boolean): Json => ({
  name,
  type: 'EDS',
  edsClusterConfig: { edsConfig: { ads: {}, resourceApiVersion: 'V3' } },
  connectTimeout: '5s',
  commonLbConfig: { localityWeightedLbConfig: {} },
  ignoreHealthOnHostRemoval: true,
  ...(http2 ? { typedExtensionProtocolOptions: http2Options() } : {}),
});
const dnsClusterType = (single: boolean): Json => ({
  name: 'envoy.clusters.dns',
  typedConfig: {
    dnsLookupFamily: 'V4_PREFERRED',
    ...(single ? { allAddressesInSingleEndpoint: true } : {}),
    '@type': `${TYPE}envoy.extensions.clusters.dns.v3.DnsCluster`,
  },
});
const socket = (address: string, portValue: number) => ({ address: { socketAddress: { address, portValue } } });

export interface FloorDocument {
  clusters: Json[];
  /** ClusterLoadAssignments, under the name the library's output document gives them (docs/cli.md). */
  assignments: Json[];
  statuses: Json[];
}

export function floorDocument(workload: Workload): FloorDocument {
  const clusters: Json[] = [];
  const endpoints: Json[] = [];
  const statuses: Json[] = [];
  const services = new Map<string, KubeObject>();
  const slices = new Map<string, KubeObject>();
  const secrets = new Map<string, KubeObject>();
  for (const o of workload.objects) {
    const key = `${o.metadata.namespace}/${o.metadata.name}`;
    if (o.kind === 'Service') services.set(key, o);
    if (o.kind === 'EndpointSlice') slices.set(`${o.metadata.namespace}/${o.metadata.labels!['kubernetes.io/service-name']}`, o);
    if (o.kind === 'Secret') secrets.set(key, o);
  }

  for (const [key, service] of services) {
    const slice = slices.get(key)!;
    const { namespace, name } = service.metadata;
    for (const port of (service.spec as { ports: { name: string; port: number; appProtocol?: string }[] }).ports) {
      const clusterName = `kube_${namespace}_${name}_${port.port}`;
      clusters.push(edsCluster(clusterName, port.appProtocol === 'grpc'));
      endpoints.push({ clusterName, endpoints: sliceLocalities(slice, port.name) });
    }
  }

  const backends = workload.objects.filter((o) => o.kind === 'Backend');
  backends.sort((a, b) => compare(a.metadata.namespace, b.metadata.namespace) || compare(a.metadata.name, b.metadata.name));
  for (const backend of backends) {
    const { namespace, name } = backend.metadata;
    const clusterName = `backend_${namespace}_${name}_0`;
    const spec = backend.spec as Json;
    const conditions: Json[] = [accepted()];
    if (spec.static) {
      const { hosts, appProtocol } = spec.static as { hosts: { host: string; port: number }[]; appProtocol?: string };
      const dns = hosts.some((h) => !/^[\d.]+$/.test(h.host));
      clusters.push({
        name: clusterName,
        ...(dns ? {} : { type: 'STATIC' }),
        connectTimeout: '5s',
        loadAssignment: {
          clusterName,
          endpoints: [
            { lbEndpoints: hosts.map((h) => ({ endpoint: { ...socket(h.host, h.port), healthCheckConfig: { hostname: h.host }, hostname: h.host } })) },
          ],
        },
        ...(appProtocol === 'http2' ? { typedExtensionProtocolOptions: http2Options() } : {}),
        ...(dns ? { clusterType: dnsClusterType(false) } : {}),
      });
    } else if (spec.kubernetes) {
      const { serviceName, servicePort } = spec.kubernetes as { serviceName: string; servicePort: number };
      const service = services.get(`${namespace}/${serviceName}`)!;
      const port = (service.spec as { ports: { name: string; port: number }[] }).ports.find((p) => p.port === servicePort)!;
      clusters.push(edsCluster(clusterName, false));
      endpoints.push({ clusterName, endpoints: sliceLocalities(slices.get(`${namespace}/${serviceName}`)!, port.name) });
    } else {
      const aws = spec.aws as Json & { region: string; auth?: { secretRef: { name: string } } };
      if (aws.lambda) clusters.push(lambdaCluster(clusterName, aws, aws.auth && secrets.get(`${namespace}/${aws.auth.secretRef.name}`)));
      else {
        const { port, filters } = aws.ec2 as { port: number; filters: { keyValue: { key: string; value: string } }[] };
        const localities = ec2Localities(workload.instances, aws.region, port, filters[0]!.keyValue);
        clusters.push(edsCluster(clusterName, false));
        endpoints.push({ clusterName, endpoints: localities.localities });
        conditions.push({ type: 'EndpointsDiscovered', status: 'True', reason: 'Discovered', message: `${localities.count} endpoints active` });
      }
    }
    statuses.push({ apiVersion: backend.apiVersion, kind: 'Backend', namespace, name, conditions });
  }
  clusters.sort((a, b) => compare(a.name as string, b.name as string));
  endpoints.sort((a, b) => compare(a.clusterName as string, b.clusterName as string));
  return { clusters, assignments: endpoints, statuses };
}

function lambdaCluster(name: string, aws: Json & { region: string }, secret: KubeObject | undefined): Json {
  const lambda = aws.lambda as { accountId: string; functionName: string; invocationMode?: string };
  const host = `lambda.${aws.region}.amazonaws.com`;
  const keys = secret?.stringData as { accessKey: string; secretKey: string } | undefined;
  return {
    name,
    connectTimeout: '5s',
    transportSocket: {
      name: 'envoy.transport_sockets.tls',
      typedConfig: { sni: host, '@type': `${TYPE}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext` },
    },
    loadAssignment: { clusterName: name, endpoints: [{ lbEndpoints: [{ endpoint: socket(host, 443) }] }] },
    typedExtensionProtocolOptions: {
      [HPO]: {
        commonHttpProtocolOptions: { idleTimeout: '30s' },
        explicitHttpConfig: { http2ProtocolOptions: {} },
        httpFilters: [
          {
            name: 'envoy.filters.http.aws_lambda',
            typedConfig: {
              arn: `arn:aws:lambda:${aws.region}:${lambda.accountId}:function:${lambda.functionName}:$LATEST`,
              ...(lambda.invocationMode === 'Async' ? { invocationMode: 'ASYNCHRONOUS' } : {}),
              '@type': `${TYPE}envoy.extensions.filters.http.aws_lambda.v3.Config`,
            },
          },
          {
            name: 'envoy.filters.http.aws_request_signing',
            typedConfig: {
              serviceName: 'lambda',
              region: aws.region,
              ...(keys ? { credentialProvider: { inlineCredential: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey } } } : {}),
              '@type': `${TYPE}envoy.extensions.filters.http.aws_request_signing.v3.AwsRequestSigning`,
            },
          },
          { name: 'envoy.filters.http.upstream_codec', typedConfig: { '@type': `${TYPE}envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec` } },
        ],
        '@type': `${TYPE}${HPO}`,
      },
    },
    clusterType: dnsClusterType(true),
  };
}

function sliceLocalities(slice: KubeObject, portName: string): Json[] {
  const target = (slice.ports as { name: string; port: number }[]).find((p) => p.name === portName)!.port;
  const zones = new Map<string, string[]>();
  for (const e of slice.endpoints as { addresses: string[]; conditions: { ready: boolean }; zone: string }[]) {
    if (!e.conditions.ready) continue;
    zones.set(e.zone, [...(zones.get(e.zone) ?? []), e.addresses[0]!]);
  }
  return [...zones.keys()].sort(compare).map((zone) => ({
    locality: { zone },
    lbEndpoints: zones
      .get(zone)!
      .sort(compareIpv4)
      .map((address) => ({ endpoint: socket(address, target) })),
    loadBalancingWeight: zones.get(zone)!.length,
  }));
}

function ec2Localities(instances: readonly Ec2InstanceJson[], region: string, port: number, filter: { key: string; value: string }) {
  const chosen = instances.filter(
    (i) =>
      i.State.Name === 'running' &&
      i.Placement.AvailabilityZone.slice(0, -1) === region &&
      i.Tags.some((t) => t.Key === filter.key && t.Value === filter.value),
  );
  chosen.sort((a, b) => compareIpv4(a.PrivateIpAddress, b.PrivateIpAddress) || compare(a.InstanceId, b.InstanceId));
  const zones = [...new Set(chosen.map((i) => i.Placement.AvailabilityZone))].sort(compare);
  const localities = zones.map((zone) => ({
    locality: { region, zone },
    lbEndpoints: chosen
      .filter((i) => i.Placement.AvailabilityZone === zone)
      .map((i) => ({ endpoint: socket(i.PrivateIpAddress, port), metadata: { filterMetadata: { 'io.backendkit.aws_ec2': { instanceId: i.InstanceId } } } })),
    loadBalancingWeight: chosen.filter((i) => i.Placement.AvailabilityZone === zone).length,
  }));
  return { localities, count: chosen.length };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareIpv4(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}
