export { awsLambdaPlugin, AWS_LAMBDA_PLUGIN } from './plugin';
export { awsLambdaSchema, lambdaSchema, INVOCATION_MODES, PAYLOAD_TRANSFORM_MODES, LATEST } from './schema';
export type { AwsLambdaSpec, LambdaSpec } from './schema';
export { parseEndpointUrl, regionEndpoint } from './endpoint';
export type { EndpointParse, LambdaEndpoint } from './endpoint';
export {
  AWS_LAMBDA_FILTER,
  AWS_REQUEST_SIGNING_FILTER,
  LAMBDA_SIGNING_SERVICE,
  TYPE_URLS,
  HTTP_PROTOCOL_OPTIONS_KEY,
  IDLE_TIMEOUT,
  TLS_TRANSPORT_SOCKET,
  UPSTREAM_CODEC_FILTER,
  functionArn,
  lambdaCluster,
} from './cluster';
export type { LambdaInvocation } from './cluster';
