import { definePlugin, type BackendContext, type BackendPlugin, type Fragment } from '@backendkit/core';
import { ASSUME_ROLE_UNSUPPORTED, readCredentials, type AwsCredentials } from '@backendkit/aws-common';
import { functionArn, lambdaCluster, type LambdaInvocation } from './cluster';
import { parseEndpointUrl, regionEndpoint } from './endpoint';
import { awsLambdaSchema, type AwsLambdaSpec } from './schema';
import { wellFormedLambda } from './well-formed';

export const AWS_LAMBDA_PLUGIN = '@backendkit/aws-lambda';

/**
 * docs/aws-lambda.md: `spec.aws.lambda` Backends. Shares the `aws` key with the EC2 plugin through the
 * `lambda` variant; its schema validates the whole `spec.aws` object.
 */
export function awsLambdaPlugin(): BackendPlugin<AwsLambdaSpec> {
  return definePlugin<AwsLambdaSpec>({
    name: AWS_LAMBDA_PLUGIN,
    key: 'aws',
    variant: 'lambda',
    legacyType: 'AWS',
    schema: awsLambdaSchema,
    wellFormed: wellFormedLambda,
    translate: translateLambda,
  });
}

function translateLambda(spec: AwsLambdaSpec, ctx: BackendContext): Fragment {
  const { lambda, region } = spec;
  // The schema guarantees one of the two is set; lambda's own wins (kgateway's order).
  const accountId = lambda.accountId ?? spec.accountId ?? '';
  let endpoint = regionEndpoint(region);
  if (lambda.endpointURL !== undefined) {
    const parsed = parseEndpointUrl(lambda.endpointURL);
    if (!parsed.ok) return { diagnostics: [{ severity: 'error', code: 'invalid-field', message: parsed.message, path: `${ctx.path}.lambda.endpointURL` }] };
    endpoint = parsed.endpoint;
  }

  let credentials: AwsCredentials | undefined;
  if (spec.auth?.type === 'Secret' && spec.auth.secretRef) {
    const read = readCredentials(ctx, ctx.backend.metadata.namespace, spec.auth.secretRef.name, `${ctx.path}.auth.secretRef.name`);
    if (!read.ok) return { diagnostics: read.diagnostics };
    credentials = read.credentials;
  }
  let roleArn: string | undefined;
  if (spec.auth?.type === 'AssumeRole') {
    const problem = assumeRoleProblem(spec, ctx);
    if (problem) return { diagnostics: [{ severity: 'error', code: 'invalid-field', ...problem }] };
    roleArn = spec.auth.assumeRole?.roleArn;
  }

  // Optional fields set after the literals, not spread in: V8 copies `{ ...a, ...b }` through a slow
  // path (docs/performance.md, "The translation's own work").
  const invocation: LambdaInvocation = {
    arn: functionArn(region, accountId, lambda.functionName, lambda.qualifier),
    region,
    async: lambda.invocationMode === 'Async',
    passthrough: lambda.payloadTransformMode === 'None',
  };
  if (credentials) invocation.credentials = credentials;
  if (roleArn) invocation.roleArn = roleArn;
  const fragment: Fragment = { cluster: lambdaCluster(endpoint, invocation, ctx.options) };
  // A refused endpointURL host is reported at the field (docs/plugins.md, "Saying where an endpoint came from").
  if (lambda.endpointURL !== undefined) fragment.origins = { 'cluster.loadAssignment.endpoints[0].lbEndpoints[0]': `${ctx.path}.lambda.endpointURL` };
  // The cluster legitimately carries the keys (the filter needs them); messages about it must not.
  if (credentials) fragment.sensitiveValues = Object.values(credentials);
  return fragment;
}

// The role goes to aws_request_signing's credential provider, which the legacy shape does not use.
function assumeRoleProblem(spec: AwsLambdaSpec, ctx: BackendContext): { message: string; path: string } | undefined {
  if (ctx.options.clusterShape === 'legacy') return { message: ASSUME_ROLE_UNSUPPORTED, path: `${ctx.path}.auth.type` };
  if (!spec.auth?.assumeRole) {
    return { message: 'required when type is AssumeRole: {roleArn: arn:aws:iam::<account>:role/<name>}', path: `${ctx.path}.auth.assumeRole` };
  }
  return undefined;
}
