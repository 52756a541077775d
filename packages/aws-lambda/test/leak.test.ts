import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTranslation } from '@backendkit/testing';
import { definePlugin, formatDiagnostic, type BackendPlugin } from '@backendkit/core';
import { runCli } from '@backendkit/cli';
import { HTTP_PROTOCOL_OPTIONS_KEY, TYPE_URLS, awsLambdaPlugin } from '@backendkit/aws-lambda';

// Known, fake credential values: none of them (nor their base64) may show up in any message.
const ACCESS_KEY = 'AKIALEAKCHECK0000001';
const SECRET_KEY = 'leak/check+Secret"Key\\0001';
const SESSION_TOKEN = 'leak-check-session-token-0001';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const FORBIDDEN = [ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, JSON.stringify(SECRET_KEY).slice(1, -1), b64(ACCESS_KEY), b64(SECRET_KEY), b64(SESSION_TOKEN)];

function secret(name: string, namespace: string, data: Record<string, string>, field: 'data' | 'stringData' = 'data'): string {
  const values = Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(field === 'data' ? b64(v) : v)}`);
  return `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: ${namespace}}\n${field}:\n${values.join('\n')}\n`;
}

function lambdaBackend(name: string, namespace: string, lambda: string, auth = 'auth: {type: Secret, secretRef: {name: creds}}'): string {
  return `apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n  aws:\n    ${auth}\n    lambda: ${lambda}\n`;
}

const OK_LAMBDA = '{accountId: "123456789012", functionName: f}';
const all = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, sessionToken: SESSION_TOKEN };

/** Failing inputs whose Secrets hold the known values; each with the message it must produce. */
const cases: Array<{ name: string; yaml: string; message: string }> = [
  {
    name: 'missing-key',
    yaml: [secret('creds', 'default', { accessKey: ACCESS_KEY, sessionToken: SESSION_TOKEN }), lambdaBackend('fn', 'default', OK_LAMBDA)].join('---\n'),
    message: 'Secret default/creds has no key secretKey',
  },
  {
    name: 'empty-key',
    yaml: [
      secret('creds', 'default', { accessKey: '', secretKey: SECRET_KEY, sessionToken: SESSION_TOKEN }, 'stringData'),
      lambdaBackend('fn', 'default', OK_LAMBDA),
    ].join('---\n'),
    message: 'key accessKey in Secret default/creds is empty',
  },
  {
    name: 'bad-base64',
    yaml: [
      `apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: default}\ndata:\n  accessKey: ${b64(ACCESS_KEY)}\n  secretKey: "not*base64"\n  sessionToken: ${b64(SESSION_TOKEN)}\n`,
      lambdaBackend('fn', 'default', OK_LAMBDA),
    ].join('---\n'),
    message: 'key secretKey in Secret default/creds is not valid base64',
  },
  {
    name: 'string-data-not-a-string',
    yaml: [
      `apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: default}\nstringData:\n  accessKey: ${ACCESS_KEY}\n  secretKey: 12345\n  sessionToken: [${SESSION_TOKEN}]\n`,
      lambdaBackend('fn', 'default', OK_LAMBDA),
    ].join('---\n'),
    message: 'key secretKey in Secret default/creds must be a string (stringData), not a number',
  },
  {
    name: 'data-not-utf8',
    yaml: [
      `apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: default}\ndata:\n  accessKey: ${b64(ACCESS_KEY)}\n  secretKey: ${Buffer.from([0x6b, 0xff, 0xfe, 0x79]).toString('base64')}\n`,
      lambdaBackend('fn', 'default', OK_LAMBDA),
    ].join('---\n'),
    message: 'key secretKey in Secret default/creds does not decode to UTF-8 text',
  },
  {
    name: 'secret-in-other-namespace',
    yaml: [secret('creds', 'default', all), lambdaBackend('fn', 'team-a', OK_LAMBDA)].join('---\n'),
    message: 'Secret team-a/creds not found',
  },
  {
    name: 'invalid-backend-with-good-secret',
    yaml: [secret('creds', 'default', all), lambdaBackend('fn', 'default', '{accountId: "123456789012", functionName: "no.dots"}')].join('---\n'),
    message: 'must be 1 to 140 letters, digits, - or _',
  },
  {
    name: 'assume-role',
    yaml: [secret('creds', 'default', all), lambdaBackend('fn', 'default', OK_LAMBDA, 'auth: {type: AssumeRole, secretRef: {name: creds}}')].join('---\n'),
    message: 'spec.aws.auth.secretRef: not used with type AssumeRole',
  },
];

function expectNoCredentials(text: string): void {
  for (const value of FORBIDDEN) expect(text).not.toContain(value);
}

describe('credentials never reach diagnostics or statuses', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const { result, output } = runTranslation(c.yaml, { plugins: [awsLambdaPlugin()] });
    expect(result.clusters).toEqual([]);
    expect(output.diagnostics.join('\n')).toContain(c.message);
    expectNoCredentials(JSON.stringify(result.diagnostics));
    expectNoCredentials(JSON.stringify(result.statuses));
    expectNoCredentials(result.diagnostics.map(formatDiagnostic).join('\n'));
    expectNoCredentials(JSON.stringify(output));
  });

  const good = [secret('creds', 'default', all), lambdaBackend('fn', 'default', OK_LAMBDA)].join('---\n');

  function filtersPlugin(): BackendPlugin {
    // Sets its own upstream filter list: lists do not merge, so this conflicts with the Lambda filters.
    return definePlugin({
      name: 'test/filters',
      extend: () => ({
        cluster: {
          typedExtensionProtocolOptions: {
            [HTTP_PROTOCOL_OPTIONS_KEY]: {
              '@type': TYPE_URLS.httpProtocolOptions,
              httpFilters: [{ name: 'envoy.filters.http.upstream_codec', typedConfig: { '@type': TYPE_URLS.upstreamCodec } }],
            },
          },
        },
      }),
    });
  }

  test('a merge conflict over the filter list prints it without the credentials', () => {
    const { result, output } = runTranslation(good, { plugins: [awsLambdaPlugin(), filtersPlugin()] });
    expect(result.clusters).toEqual([]);
    const [message] = output.diagnostics;
    expect(message).toContain('disagree at cluster.typedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].httpFilters');
    expect(message).toContain('"inlineCredential":{"accessKeyId":"[redacted]","secretAccessKey":"[redacted]","sessionToken":"[redacted]"}');
    expectNoCredentials(JSON.stringify(result.diagnostics));
    expectNoCredentials(JSON.stringify(result.statuses));
    expectNoCredentials(JSON.stringify(output));
  });

  test("another plugin's messages about the cluster are cleaned too", () => {
    const careless = definePlugin({
      name: 'test/careless',
      extend: (target) => ({ diagnostics: [{ severity: 'warning', code: 'debug', message: `saw ${JSON.stringify(target.fragment.cluster)}` }] }),
    });
    const { result } = runTranslation(good, { plugins: [awsLambdaPlugin(), careless] });
    expect(result.clusters).toHaveLength(1);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]!.message).toContain('"secretAccessKey":"[redacted]"');
    expectNoCredentials(JSON.stringify(result.diagnostics));
  });

  test.each([
    ['current', 1],
    ['legacy', 0],
  ] as const)('a valid Backend carries the credentials only in the filter that signs (%s shape)', (clusterShape, signer) => {
    const { result, output } = runTranslation(good, { plugins: [awsLambdaPlugin()], clusterShape });
    expect(result.diagnostics).toEqual([]);
    expectNoCredentials(JSON.stringify(output.statuses));
    const filters = (output.clusters[0]!.typedExtensionProtocolOptions as Record<string, { httpFilters: unknown[] }>)[HTTP_PROTOCOL_OPTIONS_KEY]!.httpFilters;
    filters.forEach((filter, i) => {
      if (i === signer) expect(JSON.stringify(filter)).toContain(`"secretAccessKey":${JSON.stringify(SECRET_KEY)}`);
      else expectNoCredentials(JSON.stringify(filter));
    });
  });
});

describe('the CLI prints no credentials for failing input', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'backendkit-lambda-leak-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function cli(args: string[]) {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), readStdin: async () => '', cwd: dir };
    const code = await runCli(args, io);
    return { code, stdout, stderr };
  }

  test.each(cases.flatMap((c) => (['json', 'yaml'] as const).map((format) => [c.name, format, c] as const)))('%s (%s)', async (_, format, c) => {
    writeFileSync(join(dir, `${c.name}.yaml`), c.yaml);
    const run = await cli(['translate', `${c.name}.yaml`, '--output', format]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(c.message);
    expectNoCredentials(run.stdout);
    expectNoCredentials(run.stderr);
  });

  test('examples/aws-lambda.yaml translates without errors', async () => {
    const run = await cli(['translate', join(__dirname, '..', '..', '..', 'examples', 'aws-lambda.yaml'), '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).clusters.length).toBeGreaterThan(0);
  });
});
