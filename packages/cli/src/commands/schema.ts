import type { Command } from '../command';
import { loadSetup, PLUGIN_HELP, PLUGIN_OPTIONS } from '../config';
import { EXIT_OK, UsageError } from '../io';
import { outputFormat } from '../output';

const FORMATS = ['json-schema', 'crd', 'crds'] as const;

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of Backend.spec, or the Backend CRD, for the registered plugins',
  usage: 'backendkit schema [--format json-schema|crd|crds] [--document] [--output json|yaml] [--plugin MODULE]...',
  help: [
    'Prints what the registered plugins accept, built from their zod schemas (input side, with defaults):',
    '  json-schema  the JSON Schema (draft 2020-12) of Backend.spec, for editors and validators',
    '  crd          the apiextensions.k8s.io/v1 CustomResourceDefinition of backends.gateway.kgateway.dev',
    '               (v1alpha1) with a structural openAPIV3Schema, for kubectl apply',
    '  crds         a List of every CRD: the Backend one, then the kinds plugins own (BackendConfigPolicy,',
    '               BackendTLSPolicy)',
    'Exactly one type key, the legacy spec.type and shared-key variants (aws.lambda / aws.ec2) are encoded;',
    'checks zod runs as code (e.g. "must be a DNS name or an IP") are not, so the translator may refuse a',
    'little more than the schema does. Library users get the same for their own plugins from',
    'backendSpecJsonSchema(plugins), backendCrd(plugins) and pluginCrds(plugins) in @backendkit/core/schema.',
    '',
    'Options:',
    '  -f, --format json-schema|crd|crds   what to print (default json-schema)',
    '  -o, --output json|yaml         output format (default json; yaml suits the CRD)',
    '  --document                     json-schema of a whole Backend document (apiVersion, kind, metadata,',
    '                                 spec), for yaml-language-server and editors',
    ...PLUGIN_HELP,
  ],
  options: {
    format: { type: 'string', short: 'f', default: 'json-schema' },
    document: { type: 'boolean', default: false },
    output: { type: 'string', short: 'o', default: 'json' },
    ...PLUGIN_OPTIONS,
  },
  async run(positionals, values, io) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const format = values.format;
    if (!FORMATS.includes(format as (typeof FORMATS)[number])) {
      throw new UsageError(`--format must be ${FORMATS.join(' or ')}, not ${JSON.stringify(format)}`);
    }
    const output = outputFormat(values.output);
    if (values.document === true && format !== 'json-schema') throw new UsageError('--document goes with --format json-schema');
    const [{ formatJson, formatYaml }, { BACKEND_API_VERSIONS }, { backendCrd, backendSpecJsonSchema, pluginCrds }, { builtinPlugins }] = await Promise.all([
      import('@backendkit/core'),
      import('@backendkit/core/helpers'),
      import('@backendkit/core/schema'),
      import('@backendkit/preset'),
    ]);
    const plugins = [...builtinPlugins(), ...(await loadSetup(values, io)).plugins];
    const spec = backendSpecJsonSchema(plugins);
    const document =
      format === 'crd'
        ? backendCrd(plugins)
        : format === 'crds'
          ? { apiVersion: 'v1', kind: 'List', items: [backendCrd(plugins), ...pluginCrds(plugins)] }
          : values.document === true
            ? backendDocumentSchema(spec, BACKEND_API_VERSIONS)
            : spec;
    io.stdout(output === 'yaml' ? formatYaml(document) : formatJson(document));
    return EXIT_OK;
  },
};

/**
 * A whole `Backend` document around the spec schema: what yaml-language-server attaches to a file
 * (`# yaml-language-server: $schema=backend.schema.json`). Metadata as the loader checks it.
 */
function backendDocumentSchema(spec: Record<string, unknown>, apiVersions: readonly string[]): Record<string, unknown> {
  const { $schema, title: _title, description: _description, ...specSchema } = spec;
  const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
  return {
    $schema,
    title: 'Backend',
    description: 'A gateway.kgateway.dev Backend as backendkit reads it: apiVersion, kind, metadata and spec.',
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { enum: [...apiVersions] },
      kind: { const: 'Backend' },
      metadata: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1 }, namespace: { type: 'string', minLength: 1 }, labels: stringMap, annotations: stringMap },
      },
      spec: specSchema,
      status: { type: 'object' },
    },
  };
}
