import type { ClusterJson } from '@backendkit/core';
import type { AwsCredentials } from '@backendkit/aws-common';
import type { LambdaEndpoint } from './endpoint';

// Type URLs are written out rather than taken from @backendkit/xds-types, which this package does not
// depend on; the tests check each one against the generated schema.
export const TYPE_URLS = {
  httpProtocolOptions: 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
  awsLambdaConfig: 'type.googleapis.com/envoy.extensions.filters.http.aws_lambda.v3.Config',
  upstreamCodec: 'type.googleapis.com/envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec',
  upstreamTlsContext: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
} as const;

export const HTTP_PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
export const AWS_LAMBDA_FILTER = 'envoy.filters.http.aws_lambda';
export const UPSTREAM_CODEC_FILTER = 'envoy.filters.http.upstream_codec';
export const TLS_TRANSPORT_SOCKET = 'envoy.transport_sockets.tls';
/** Upstream idle timeout of SPEC §3.4 (kgateway's value): closes pooled connections before AWS does. */
export const IDLE_TIMEOUT = '30s';

/** What the aws_lambda filter needs to know about one function. */
export interface LambdaInvocation {
  arn: string;
  async: boolean;
  passthrough: boolean;
  credentials?: AwsCredentials;
}

export function functionArn(region: string, accountId: string, functionName: string, qualifier: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${functionName}:${qualifier}`;
}

/** An `Any` in proto3 JSON: the message's fields beside its `@type`. */
type AnyOf<T> = { '@type': string } & T;

/** SPEC §3.4: one LOGICAL_DNS endpoint, TLS with SNI when asked, and the Lambda upstream filters over HTTP/2. */
export function lambdaCluster(endpoint: LambdaEndpoint, invocation: LambdaInvocation): ClusterJson {
  const protocolOptions: AnyOf<HttpProtocolOptionsJson> = {
    '@type': TYPE_URLS.httpProtocolOptions,
    commonHttpProtocolOptions: { idleTimeout: IDLE_TIMEOUT },
    explicitHttpConfig: { http2ProtocolOptions: {} },
    // Envoy requires the codec filter last: it is the one that hands the request to the connection.
    httpFilters: [
      { name: AWS_LAMBDA_FILTER, typedConfig: filterConfig(invocation) },
      { name: UPSTREAM_CODEC_FILTER, typedConfig: { '@type': TYPE_URLS.upstreamCodec } },
    ],
  };
  const cluster: ClusterJson = {
    type: 'LOGICAL_DNS',
    dnsLookupFamily: 'V4_PREFERRED',
    loadAssignment: {
      endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: endpoint.host, portValue: endpoint.port } } } }] }],
    },
    typedExtensionProtocolOptions: { [HTTP_PROTOCOL_OPTIONS_KEY]: protocolOptions },
  };
  if (endpoint.tls) {
    const tlsContext: AnyOf<{ sni: string }> = { '@type': TYPE_URLS.upstreamTlsContext, sni: endpoint.host };
    cluster.transportSocket = { name: TLS_TRANSPORT_SOCKET, typedConfig: tlsContext };
  }
  return cluster;
}

/** The parts of `envoy.extensions.upstreams.http.v3.HttpProtocolOptions` this plugin sets. */
interface HttpProtocolOptionsJson {
  commonHttpProtocolOptions: { idleTimeout: string };
  explicitHttpConfig: { http2ProtocolOptions: Record<string, never> };
  httpFilters: Array<{ name: string; typedConfig: AnyOf<object> }>;
}

interface LambdaConfigJson {
  arn: string;
  invocationMode?: 'ASYNCHRONOUS';
  payloadPassthrough?: true;
  credentials?: AwsCredentials;
}

function filterConfig({ arn, async, passthrough, credentials }: LambdaInvocation): AnyOf<LambdaConfigJson> {
  return {
    '@type': TYPE_URLS.awsLambdaConfig,
    arn,
    // SYNCHRONOUS and false are the proto defaults, which proto3 JSON leaves out.
    ...(async ? { invocationMode: 'ASYNCHRONOUS' as const } : {}),
    ...(passthrough ? { payloadPassthrough: true as const } : {}),
    ...(credentials ? { credentials: { ...credentials } } : {}),
  };
}
