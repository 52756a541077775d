import { awsLambda, awsRequestSigning, tls, typeUrl, upstreamCodec, upstreamHttp } from '@backendkit/xds-types/clusters';
import { TYPE_URLS } from '@backendkit/aws-lambda';

// The plugin writes its type URLs out so that a translation does not build these descriptors
// (docs/performance.md, "CLI start-up"); each must be the generated schema's.
test('the written-out type URLs are the generated schemas', () => {
  expect(TYPE_URLS).toEqual({
    httpProtocolOptions: typeUrl(upstreamHttp.HttpProtocolOptionsSchema),
    awsLambdaConfig: typeUrl(awsLambda.ConfigSchema),
    awsRequestSigning: typeUrl(awsRequestSigning.AwsRequestSigningSchema),
    upstreamCodec: typeUrl(upstreamCodec.UpstreamCodecSchema),
    upstreamTlsContext: typeUrl(tls.UpstreamTlsContextSchema),
  });
});
