import { join } from 'node:path';
import { assertStrictEnvoy, expectGolden, goldenCases, runTranslation } from '@backendkit/testing';
import { SECRET_SOURCE, definePlugin, type BackendPlugin, type SecretSource } from '@backendkit/core';
import { staticPlugin } from '@backendkit/static';
import { z } from 'zod';
import {
  AWS_LAMBDA_FILTER,
  AWS_REQUEST_SIGNING_FILTER,
  HTTP_PROTOCOL_OPTIONS_KEY,
  TYPE_URLS,
  UPSTREAM_CODEC_FILTER,
  awsLambdaPlugin,
  awsLambdaSchema,
  parseEndpointUrl,
} from '@backendkit/aws-lambda';

const fixtures = join(__dirname, 'fixtures');

// Both output shapes: `<name>.golden.json` (current) and `<name>.legacy.golden.json` (clusterShape: 'legacy').
describe.each(['current', 'legacy'] as const)('aws-lambda golden files (%s shape)', (clusterShape) => {
  for (const c of goldenCases(fixtures, clusterShape === 'legacy' ? { variant: 'legacy' } : {})) {
    test(c.name, () => {
      const { output } = runTranslation(c.input, { plugins: [awsLambdaPlugin()], clusterShape, file: `${c.name}.yaml` });
      assertStrictEnvoy(output);
      expectGolden(c.goldenFile, output);
    });
  }
});

describe('parseEndpointUrl', () => {
  test.each([
    ['https://lambda.local:4566', { host: 'lambda.local', port: 4566, tls: true }],
    ['http://localhost:4566/', { host: 'localhost', port: 4566, tls: false }],
    ['http://10.0.0.7:80', { host: '10.0.0.7', port: 80, tls: false }],
    ['https://[::1]:8443', { host: '::1', port: 8443, tls: true }],
    ['https://API.Example.com:443', { host: 'api.example.com', port: 443, tls: true }],
  ])('%s', (url, endpoint) => expect(parseEndpointUrl(url)).toEqual({ ok: true, endpoint }));

  test.each([
    ['lambda.local:4566', 'must start with http:// or https://'],
    ['HTTPS://lambda.local:4566', 'must start with http:// or https://'],
    ['https://lambda.local', 'must include a port, e.g. https://lambda.local:4566'],
    ['https://lambda.local:', 'must include a port, e.g. https://lambda.local:4566'],
    ['https://[::1]', 'must include a port, e.g. https://lambda.local:4566'],
    ['https://lambda.local:0', 'port must be between 1 and 65535'],
    ['https://lambda.local:65536', 'port must be between 1 and 65535'],
    ['https://user:pass@lambda.local:443', 'must not contain user information (user@host)'],
    ['https://lambda.local:443/path', 'must not have a path, query or fragment (the aws_lambda filter sets the path)'],
    ['https://lambda.local:443?x=1', 'must not have a path, query or fragment (the aws_lambda filter sets the path)'],
    ['https://:443', 'must have a valid host name or IP address'],
    ['https://bad host:443', 'must have a valid host name or IP address'],
    ['https://[zz]:443', 'must have a valid host name or IP address'],
    ['https://::1:443', 'must have a valid host name or IP address (write an IPv6 address in brackets)'],
  ])('%s is rejected', (url, message) => expect(parseEndpointUrl(url)).toEqual({ ok: false, message }));
});

describe('schema', () => {
  const base = { lambda: { accountId: '123456789012', functionName: 'f' } };
  const qualifierOf = (qualifier: unknown) => awsLambdaSchema.safeParse({ lambda: { ...base.lambda, qualifier } });

  test('fills in the defaults', () => {
    expect(awsLambdaSchema.parse(base)).toEqual({
      region: 'us-east-1',
      lambda: { accountId: '123456789012', functionName: 'f', qualifier: '$LATEST', invocationMode: 'Sync', payloadTransformMode: 'Envoy' },
    });
  });

  test.each(['$LATEST', '1', '123456', 'prod', 'blue-green_2', 'a'.repeat(128)])('qualifier #%# is valid', (q) => {
    expect(qualifierOf(q).success).toBe(true);
  });

  test.each(['', '$latest', 'LATEST$', 'v1.2', 'a'.repeat(129), 7])('qualifier #%# is invalid', (q) => {
    expect(qualifierOf(q).success).toBe(false);
  });

  test.each(['a', 'A-b_9', 'x'.repeat(140)])('function name #%# is valid', (name) => {
    expect(awsLambdaSchema.safeParse({ lambda: { ...base.lambda, functionName: name } }).success).toBe(true);
  });

  test.each(['', 'x'.repeat(141), 'a.b', 'arn:aws:lambda:us-east-1:123456789012:function:f', 'a b'])('function name #%# is invalid', (name) => {
    expect(awsLambdaSchema.safeParse({ lambda: { ...base.lambda, functionName: name } }).success).toBe(false);
  });

  test('rejects a non-object without throwing', () => {
    expect(awsLambdaSchema.safeParse(null).success).toBe(false);
    expect(awsLambdaSchema.safeParse({ lambda: 'f' }).success).toBe(false);
  });

  test('describes user input as JSON Schema', () => {
    const json = z.toJSONSchema(awsLambdaSchema, { io: 'input' }) as { properties: Record<string, unknown>; required?: string[] };
    expect(Object.keys(json.properties).sort()).toEqual(['accountId', 'auth', 'lambda', 'region']);
    expect(json.required).toEqual(['lambda']);
  });
});

/** Stands in for the EC2 plugin: the other owner of `spec.aws`. */
function fakeEc2Plugin(): BackendPlugin {
  return definePlugin({
    name: 'test/aws-ec2',
    key: 'aws',
    variant: 'ec2',
    legacyType: 'AWS',
    schema: z.strictObject({ region: z.string().optional(), ec2: z.strictObject({ port: z.number() }) }),
    translate: (spec: { ec2: { port: number } }) => ({
      cluster: {
        type: 'STATIC',
        loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '10.0.0.1', portValue: spec.ec2.port } } } }] }] },
      },
    }),
  });
}

function backend(name: string, aws: unknown) {
  return { apiVersion: 'gateway.kgateway.dev/v1alpha1', kind: 'Backend', metadata: { name, namespace: 'default' }, spec: { aws } };
}

describe('sharing spec.aws with another variant', () => {
  const plugins = [awsLambdaPlugin(), fakeEc2Plugin()];
  const lambda = { accountId: '123456789012', functionName: 'f' };

  test('each Backend goes to the plugin whose variant is set', () => {
    const { result, output } = runTranslation([backend('fn', { lambda }), backend('vm', { ec2: { port: 8080 } })], { plugins });
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((t) => [t.clusterName, t.typeKey, t.valid])).toEqual([
      ['backend_default_fn_0', 'aws', true],
      ['backend_default_vm_0', 'aws', true],
    ]);
    expect(output.clusters.map((c) => c.type ?? (c.clusterType as { name?: string } | undefined)?.name)).toEqual(['envoy.clusters.dns', 'STATIC']);
  });

  test('both variants, or neither, is an error naming both', () => {
    const { output } = runTranslation([backend('both', { lambda, ec2: { port: 80 } }), backend('neither', { region: 'us-east-1' })], { plugins });
    expect(output.clusters).toEqual([]);
    expect(output.diagnostics).toEqual([
      'error: Backend default/both: spec.aws: exactly one of the fields in [lambda ec2] must be set',
      'error: Backend default/neither: spec.aws: exactly one of the fields in [lambda ec2] must be set',
    ]);
  });

  test('a second lambda plugin is refused', () => {
    expect(() => runTranslation([], { plugins: [awsLambdaPlugin(), awsLambdaPlugin()] })).toThrow(/@backendkit\/aws-lambda/);
  });
});

describe('credentials', () => {
  const withAuth = backend('fn', { auth: { type: 'Secret', secretRef: { name: 'vault-creds' } }, lambda: { accountId: '123456789012', functionName: 'f' } });

  test('come from the injected secret source, not only from Secret objects', () => {
    const asked: string[] = [];
    const source: SecretSource = {
      get(namespace, name) {
        asked.push(`${namespace}/${name}`);
        return { accessKey: 'AKIAFROMSOURCE', secretKey: 'from-source', sessionToken: '  ' };
      },
    };
    const { result, output } = runTranslation([withAuth], { plugins: [awsLambdaPlugin()], provide: [[SECRET_SOURCE, source]] });
    expect(asked).toEqual(['default/vault-creds']);
    // docs/aws-lambda.md: a key that is present but empty makes the Backend invalid, the optional one too.
    expect(output.diagnostics).toEqual(['error: Backend default/fn: spec.aws.auth.secretRef.name: key sessionToken in Secret default/vault-creds is empty']);
    expect(result.clusters).toEqual([]);
  });

  const source: SecretSource = { get: () => ({ accessKey: 'AKIAFROMSOURCE', secretKey: 'from-source' }) };
  const filtersOf = (clusterShape: 'current' | 'legacy') => {
    const { output } = runTranslation([withAuth], { plugins: [awsLambdaPlugin()], provide: [[SECRET_SOURCE, source]], clusterShape });
    const options = (output.clusters[0]!.typedExtensionProtocolOptions as Record<string, { httpFilters: Array<{ name: string; typedConfig: unknown }> }>)[
      HTTP_PROTOCOL_OPTIONS_KEY
    ]!;
    return options.httpFilters;
  };
  const arn = 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST';

  test('a source that has the keys gives them to the signing filter (kgateway: inlineCredential)', () => {
    const filters = filtersOf('current');
    expect(filters.map((f) => f.name)).toEqual([AWS_LAMBDA_FILTER, AWS_REQUEST_SIGNING_FILTER, UPSTREAM_CODEC_FILTER]);
    expect(filters[0]!.typedConfig).toEqual({ '@type': TYPE_URLS.awsLambdaConfig, arn });
    expect(filters[1]!.typedConfig).toEqual({
      '@type': TYPE_URLS.awsRequestSigning,
      serviceName: 'lambda',
      region: 'us-east-1',
      credentialProvider: { inlineCredential: { accessKeyId: 'AKIAFROMSOURCE', secretAccessKey: 'from-source' } },
    });
  });

  test('the legacy shape gives them to the aws_lambda filter, with no signing filter', () => {
    const filters = filtersOf('legacy');
    expect(filters.map((f) => f.name)).toEqual([AWS_LAMBDA_FILTER, UPSTREAM_CODEC_FILTER]);
    expect(filters[0]!.typedConfig).toEqual({
      '@type': TYPE_URLS.awsLambdaConfig,
      arn,
      credentials: { accessKeyId: 'AKIAFROMSOURCE', secretAccessKey: 'from-source' },
    });
  });
});

/** A feature plugin of the test's own that tunes the upstream HTTP options of AWS clusters. */
function httpOptionsPlugin(fields: Record<string, unknown>): BackendPlugin {
  return definePlugin({
    name: 'test/http-options',
    extend(target) {
      if (target.typeKey !== 'aws') return undefined;
      return { cluster: { typedExtensionProtocolOptions: { [HTTP_PROTOCOL_OPTIONS_KEY]: { '@type': TYPE_URLS.httpProtocolOptions, ...fields } } } };
    },
  });
}

describe('HttpProtocolOptions shared with another plugin', () => {
  const shapes = (['current', 'legacy'] as const).flatMap((clusterShape) =>
    goldenCases(join(__dirname, 'compose'), clusterShape === 'legacy' ? { variant: 'legacy' } : {}).map(
      (c) => [`${c.name} (${clusterShape} shape)`, c, clusterShape] as const,
    ),
  );

  test.each(shapes)('%s', (_, c, clusterShape) => {
    const extra = httpOptionsPlugin({
      commonHttpProtocolOptions: { idleTimeout: '30s', maxHeadersCount: 64 },
      explicitHttpConfig: { http2ProtocolOptions: { maxConcurrentStreams: 100 } },
      upstreamHttpProtocolOptions: { autoSni: true },
    });
    const { output } = runTranslation(c.input, { plugins: [staticPlugin(), awsLambdaPlugin(), extra], clusterShape, file: `${c.name}.yaml` });
    assertStrictEnvoy(output);
    expectGolden(c.goldenFile, output);
  });

  test('a different idle timeout is a conflict naming both plugins, and no cluster', () => {
    const extra = httpOptionsPlugin({ commonHttpProtocolOptions: { idleTimeout: '60s' } });
    const { output } = runTranslation([backend('fn', { lambda: { accountId: '123456789012', functionName: 'f' } })], { plugins: [awsLambdaPlugin(), extra] });
    expect(output.clusters).toEqual([]);
    expect(output.diagnostics).toEqual([
      'error: Backend default/fn: plugins "@backendkit/aws-lambda" and "test/http-options" disagree at ' +
        'cluster.typedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].commonHttpProtocolOptions.idleTimeout: ' +
        '"@backendkit/aws-lambda" sets "30s", "test/http-options" sets "60s"',
    ]);
  });
});
