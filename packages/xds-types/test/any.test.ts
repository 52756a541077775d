import { fromBinary, fromJson, toBinary, toJson, type DescMessage, type JsonObject } from '@bufbuild/protobuf';
import { AnySchema, anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import {
  ENVOY_API_MODULES,
  ENVOY_API_REVISION,
  awsCredentialProvider,
  awsLambda,
  awsRequestSigning,
  bootstrap,
  circuitBreaker,
  cluster,
  discovery,
  dnsCluster,
  dynamicForwardProxy,
  dynamicForwardProxyFilter,
  endpoint,
  healthCheck,
  httpConnectionManager,
  leastRequest,
  listener,
  maglev,
  outlierDetection,
  preserveCase,
  random,
  rawBuffer,
  registry,
  ringHash,
  roundRobin,
  route,
  router,
  secret,
  tls,
  typeUrl,
  upstreamCodec,
  upstreamHttp,
  upstreamProxyProtocol,
} from '@backendkit/xds-types';

const ROUTER = { '@type': typeUrl(router.RouterSchema) };

// One message of each root the package promises (README.md), with fields that exercise nesting and Any.
const samples: [DescMessage, JsonObject][] = [
  [cluster.ClusterSchema, { name: 'web', connectTimeout: '5s', type: 'STRICT_DNS' }],
  [
    endpoint.ClusterLoadAssignmentSchema,
    { clusterName: 'web', endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '10.0.0.1', portValue: 80 } } } }] }] },
  ],
  [listener.ListenerSchema, { name: 'http', address: { socketAddress: { address: '0.0.0.0', portValue: 8080 } } }],
  [
    route.RouteConfigurationSchema,
    { name: 'routes', virtualHosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'web' } }] }] },
  ],
  [
    httpConnectionManager.HttpConnectionManagerSchema,
    {
      statPrefix: 'ingress',
      rds: { routeConfigName: 'routes', configSource: { ads: {}, resourceApiVersion: 'V3' } },
      httpFilters: [{ name: 'envoy.filters.http.router', typedConfig: ROUTER }],
    },
  ],
  [router.RouterSchema, { suppressEnvoyHeaders: true }],
  [bootstrap.BootstrapSchema, { node: { id: 'n1', cluster: 'c1' }, dynamicResources: { adsConfig: { apiType: 'GRPC', transportApiVersion: 'V3' } } }],
  [tls.UpstreamTlsContextSchema, { sni: 'api.example.com' }],
  [tls.DownstreamTlsContextSchema, { requireClientCertificate: true }],
  [secret.SecretSchema, { name: 'ca', validationContext: { trustedCa: { filename: '/etc/ssl/ca.pem' } } }],
  [healthCheck.HealthCheckSchema, { timeout: '1s', interval: '10s', unhealthyThreshold: 3, healthyThreshold: 2, httpHealthCheck: { path: '/healthz' } }],
  [outlierDetection.OutlierDetectionSchema, { consecutive5xx: 5, interval: '10s' }],
  [circuitBreaker.CircuitBreakersSchema, { thresholds: [{ priority: 'HIGH', maxConnections: 100 }] }],
  [leastRequest.LeastRequestSchema, { choiceCount: 3 }],
  [roundRobin.RoundRobinSchema, { slowStartConfig: { slowStartWindow: '30s' } }],
  [ringHash.RingHashSchema, { minimumRingSize: '1024' }],
  [maglev.MaglevSchema, { tableSize: '65537' }],
  [random.RandomSchema, {}],
  [upstreamHttp.HttpProtocolOptionsSchema, { explicitHttpConfig: { http2ProtocolOptions: {} } }],
  [preserveCase.PreserveCaseFormatterConfigSchema, { forwardReasonPhrase: true }],
  [
    upstreamProxyProtocol.ProxyProtocolUpstreamTransportSchema,
    { config: { version: 'V2' }, transportSocket: { name: 'raw', typedConfig: { '@type': typeUrl(rawBuffer.RawBufferSchema) } } },
  ],
  [dnsCluster.DnsClusterSchema, { dnsLookupFamily: 'V4_PREFERRED', allAddressesInSingleEndpoint: true }],
  [awsLambda.ConfigSchema, { arn: 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST', invocationMode: 'ASYNCHRONOUS' }],
  [
    awsRequestSigning.AwsRequestSigningSchema,
    { serviceName: 'lambda', region: 'us-east-1', credentialProvider: { assumeRoleCredentialProvider: { roleArn: 'arn:aws:iam::123456789012:role/r' } } },
  ],
  [awsCredentialProvider.AwsCredentialProviderSchema, { inlineCredential: { accessKeyId: 'id', secretAccessKey: 'key' } }],
  [upstreamCodec.UpstreamCodecSchema, {}],
  [dynamicForwardProxy.ClusterConfigSchema, { dnsCacheConfig: { name: 'cache', dnsLookupFamily: 'V4_ONLY' } }],
  [dynamicForwardProxyFilter.FilterConfigSchema, { dnsCacheConfig: { name: 'cache' } }],
  [discovery.DiscoveryRequestSchema, { typeUrl: typeUrl(cluster.ClusterSchema), node: { id: 'n1' } }],
  [discovery.DiscoveryResponseSchema, { versionInfo: '1', resources: [{ '@type': typeUrl(cluster.ClusterSchema), name: 'web' }] }],
  [discovery.DeltaDiscoveryRequestSchema, { typeUrl: typeUrl(endpoint.ClusterLoadAssignmentSchema), resourceNamesSubscribe: ['web'] }],
  [
    discovery.DeltaDiscoveryResponseSchema,
    { systemVersionInfo: '1', resources: [{ name: 'web', version: '1', resource: { '@type': typeUrl(cluster.ClusterSchema), name: 'web' } }] },
  ],
];

describe('every listed message goes through Any with the registry', () => {
  test.each(samples.map(([schema, json]) => [schema.typeName, schema, json] as const))('%s', (_name, schema, json) => {
    const message = fromJson(schema, json, { registry, ignoreUnknownFields: false });
    const packed = anyPack(schema, message);
    expect(packed.typeUrl).toBe(`type.googleapis.com/${schema.typeName}`);
    // JSON: the Any prints as the message's fields beside its @type.
    expect(toJson(AnySchema, packed, { registry })).toEqual({ '@type': packed.typeUrl, ...json });
    // Binary: an xDS client reads the same message back.
    const unpacked = anyUnpack(fromBinary(AnySchema, toBinary(AnySchema, packed)), registry);
    expect(unpacked && toJson(schema, unpacked, { registry })).toEqual(json);
  });

  test('the discovery services are in the registry with their streaming methods', () => {
    const methods = (name: string) => registry.getService(name)?.methods.map((m) => m.name);
    expect(methods('envoy.service.discovery.v3.AggregatedDiscoveryService')).toEqual(['StreamAggregatedResources', 'DeltaAggregatedResources']);
    expect(methods('envoy.service.cluster.v3.ClusterDiscoveryService')).toEqual(['StreamClusters', 'DeltaClusters', 'FetchClusters']);
    expect(methods('envoy.service.endpoint.v3.EndpointDiscoveryService')).toEqual(['StreamEndpoints', 'DeltaEndpoints', 'FetchEndpoints']);
  });

  test('the revision names the envoy module the descriptors came from', () => {
    expect(ENVOY_API_MODULES[0]).toEqual({ module: 'github.com/envoyproxy/go-control-plane/envoy', version: ENVOY_API_REVISION });
    expect(ENVOY_API_REVISION).toMatch(/^v1\.40\.\d+$/);
  });

  test('an unknown field inside a nested Any is refused by the strict parse', () => {
    const json = { statPrefix: 'x', httpFilters: [{ name: 'r', typedConfig: { ...ROUTER, notAField: true } }] };
    expect(() => fromJson(httpConnectionManager.HttpConnectionManagerSchema, json, { registry })).toThrow(/notAField/);
  });
});
