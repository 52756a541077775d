import type { ClusterJson, TranslatorOptions } from '@backendkit/core';
import { dnsCluster, frozenJson } from '@backendkit/core/helpers';
import type { AwsCredentials } from '@backendkit/aws-common';
import type { awsLambda, awsRequestSigning, tls, upstreamCodec, upstreamHttp } from '@backendkit/xds-types/clusters';
import type { LambdaEndpoint } from './endpoint';

// The type URLs are written out rather than taken from the generated schemas: importing those builds
// their descriptors, which a translation otherwise never needs (docs/performance.md, "CLI start-up").
// test/type-urls.test.ts checks them against the schemas.
export const TYPE_URLS = {
  httpProtocolOptions: 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
  awsLambdaConfig: 'type.googleapis.com/envoy.extensions.filters.http.aws_lambda.v3.Config',
  awsRequestSigning: 'type.googleapis.com/envoy.extensions.filters.http.aws_request_signing.v3.AwsRequestSigning',
  upstreamCodec: 'type.googleapis.com/envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec',
  upstreamTlsContext: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
} as const;

/**
 * An `Any` in proto3 JSON: the type URL, then the fields, typed by the message's JSON type. The URL
 * first: V8 copies `{ ...fields, '@type': url }` through a slow path (docs/performance.md, "The
 * translation's own work"); the strict check prints it last, as `toJson` does.
 */
function typed<J extends object>(typeUrl: string, fields: J): J & { '@type': string } {
  return { '@type': typeUrl, ...fields };
}

export const HTTP_PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
export const AWS_LAMBDA_FILTER = 'envoy.filters.http.aws_lambda';
export const AWS_REQUEST_SIGNING_FILTER = 'envoy.filters.http.aws_request_signing';
/** The SigV4 service name requests to Lambda are signed for. */
export const LAMBDA_SIGNING_SERVICE = 'lambda';
export const UPSTREAM_CODEC_FILTER = 'envoy.filters.http.upstream_codec';
export const TLS_TRANSPORT_SOCKET = 'envoy.transport_sockets.tls';
/** Upstream idle timeout (docs/aws-lambda.md; kgateway's value): closes pooled connections before AWS does. */
export const IDLE_TIMEOUT = '30s';

/**
 * The parts every Lambda cluster has, frozen and written as `toJson` writes them: the strict check
 * walks each once per translation and the result shares them (`frozenJson`).
 */
const SHARED = frozenJson({
  commonHttpProtocolOptions: { idleTimeout: IDLE_TIMEOUT },
  explicitHttpConfig: { http2ProtocolOptions: {} },
  // `@type` last, as `toJson` writes it, so that the strict check keeps it as it is.
  codecFilter: {
    name: UPSTREAM_CODEC_FILTER,
    typedConfig: { '@type': TYPE_URLS.upstreamCodec } satisfies upstreamCodec.UpstreamCodecJson & { '@type': string },
  },
  dns: dnsCluster({}, { singleEndpoint: true }),
  legacyDns: dnsCluster({ clusterShape: 'legacy' }, { singleEndpoint: true }),
});

/** What the aws_lambda filter needs to know about one function. */
export interface LambdaInvocation {
  arn: string;
  /** The function's region: what requests are signed for. */
  region: string;
  async: boolean;
  passthrough: boolean;
  /** From `auth.type: Secret`. */
  credentials?: AwsCredentials;
  /** From `auth.type: AssumeRole` (current shape only). */
  roleArn?: string;
}

export function functionArn(region: string, accountId: string, functionName: string, qualifier: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${functionName}:${qualifier}`;
}

/**
 * docs/aws-lambda.md: one DNS endpoint (the first address, `LOGICAL_DNS` semantics), TLS with SNI when asked,
 * and the Lambda upstream filters over HTTP/2. The current shape is kgateway's: `aws_lambda`, then
 * `aws_request_signing` with the credentials, then `upstream_codec`; the legacy shape puts the
 * credentials on `aws_lambda` and has no signing filter (docs/aws-lambda.md).
 */
export function lambdaCluster(endpoint: LambdaEndpoint, invocation: LambdaInvocation, options: Pick<TranslatorOptions, 'clusterShape'> = {}): ClusterJson {
  const legacy = options.clusterShape === 'legacy';
  const lambdaFilter = { name: AWS_LAMBDA_FILTER, typedConfig: filterConfig(invocation, legacy) };
  const signingFilter = { name: AWS_REQUEST_SIGNING_FILTER, typedConfig: signingConfig(invocation) };
  const protocolOptions = typed<upstreamHttp.HttpProtocolOptionsJson>(TYPE_URLS.httpProtocolOptions, {
    commonHttpProtocolOptions: SHARED.commonHttpProtocolOptions,
    explicitHttpConfig: SHARED.explicitHttpConfig,
    // Envoy requires the codec filter last: it is the one that hands the request to the connection.
    httpFilters: legacy ? [lambdaFilter, SHARED.codecFilter] : [lambdaFilter, signingFilter, SHARED.codecFilter],
  });
  const cluster: ClusterJson = {
    ...(legacy ? SHARED.legacyDns : SHARED.dns),
    loadAssignment: {
      endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: endpoint.host, portValue: endpoint.port } } } }] }],
    },
    typedExtensionProtocolOptions: { [HTTP_PROTOCOL_OPTIONS_KEY]: protocolOptions },
  };
  if (endpoint.tls) {
    cluster.transportSocket = {
      name: TLS_TRANSPORT_SOCKET,
      typedConfig: typed<tls.UpstreamTlsContextJson>(TYPE_URLS.upstreamTlsContext, { sni: endpoint.host }),
    };
  }
  return cluster;
}

// Optional fields set after the literal, not spread in: V8 copies `{ arn, ...a, ...b }` through a
// slow path (docs/performance.md, "The translation's own work"). `@type` first, as in `typed`.
function filterConfig({ arn, async, passthrough, credentials }: LambdaInvocation, legacy: boolean) {
  const config: awsLambda.ConfigJson & { '@type': string } = { '@type': TYPE_URLS.awsLambdaConfig, arn };
  // SYNCHRONOUS and false are the proto defaults, which proto3 JSON leaves out.
  if (async) config.invocationMode = 'ASYNCHRONOUS';
  if (passthrough) config.payloadPassthrough = true;
  if (legacy && credentials) config.credentials = { ...credentials };
  return config;
}

// No credential provider: Envoy's default AWS chain (environment, files, container, instance role).
function signingConfig({ region, credentials, roleArn }: LambdaInvocation) {
  const config: awsRequestSigning.AwsRequestSigningJson & { '@type': string } = {
    '@type': TYPE_URLS.awsRequestSigning,
    serviceName: LAMBDA_SIGNING_SERVICE,
    region,
  };
  if (credentials) config.credentialProvider = { inlineCredential: { ...credentials } };
  else if (roleArn) config.credentialProvider = { assumeRoleCredentialProvider: { roleArn } };
  return config;
}
