import type { ClusterJson } from '@backendkit/core';
import { anyJson } from '@backendkit/core/envoy';
import type { AwsCredentials } from '@backendkit/aws-common';
import { awsLambda, tls, typeUrl, upstreamCodec, upstreamHttp } from '@backendkit/xds-types';
import type { LambdaEndpoint } from './endpoint';

export const TYPE_URLS = {
  httpProtocolOptions: typeUrl(upstreamHttp.HttpProtocolOptionsSchema),
  awsLambdaConfig: typeUrl(awsLambda.ConfigSchema),
  upstreamCodec: typeUrl(upstreamCodec.UpstreamCodecSchema),
  upstreamTlsContext: typeUrl(tls.UpstreamTlsContextSchema),
} as const;

export const HTTP_PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
export const AWS_LAMBDA_FILTER = 'envoy.filters.http.aws_lambda';
export const UPSTREAM_CODEC_FILTER = 'envoy.filters.http.upstream_codec';
export const TLS_TRANSPORT_SOCKET = 'envoy.transport_sockets.tls';
/** Upstream idle timeout (docs/aws-lambda.md; kgateway's value): closes pooled connections before AWS does. */
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

/** docs/aws-lambda.md: one LOGICAL_DNS endpoint, TLS with SNI when asked, and the Lambda upstream filters over HTTP/2. */
export function lambdaCluster(endpoint: LambdaEndpoint, invocation: LambdaInvocation): ClusterJson {
  const protocolOptions = anyJson(upstreamHttp.HttpProtocolOptionsSchema, {
    commonHttpProtocolOptions: { idleTimeout: IDLE_TIMEOUT },
    explicitHttpConfig: { http2ProtocolOptions: {} },
    // Envoy requires the codec filter last: it is the one that hands the request to the connection.
    httpFilters: [
      { name: AWS_LAMBDA_FILTER, typedConfig: filterConfig(invocation) },
      { name: UPSTREAM_CODEC_FILTER, typedConfig: anyJson(upstreamCodec.UpstreamCodecSchema, {}) },
    ],
  });
  const cluster: ClusterJson = {
    type: 'LOGICAL_DNS',
    dnsLookupFamily: 'V4_PREFERRED',
    loadAssignment: {
      endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: endpoint.host, portValue: endpoint.port } } } }] }],
    },
    typedExtensionProtocolOptions: { [HTTP_PROTOCOL_OPTIONS_KEY]: protocolOptions },
  };
  if (endpoint.tls) {
    cluster.transportSocket = { name: TLS_TRANSPORT_SOCKET, typedConfig: anyJson(tls.UpstreamTlsContextSchema, { sni: endpoint.host }) };
  }
  return cluster;
}

function filterConfig({ arn, async, passthrough, credentials }: LambdaInvocation) {
  return anyJson(awsLambda.ConfigSchema, {
    arn,
    // SYNCHRONOUS and false are the proto defaults, which proto3 JSON leaves out.
    ...(async ? { invocationMode: 'ASYNCHRONOUS' as const } : {}),
    ...(passthrough ? { payloadPassthrough: true } : {}),
    ...(credentials ? { credentials: { ...credentials } } : {}),
  });
}
