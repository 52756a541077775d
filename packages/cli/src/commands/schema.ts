import type { Command } from '../command';
import { loadSetup, PLUGIN_HELP, PLUGIN_OPTIONS } from '../config';
import { EXIT_OK, UsageError } from '../io';
import { outputFormat } from '../output';

const FORMATS = ['json-schema', 'crd'] as const;

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of Backend.spec, or the Backend CRD, for the registered plugins',
  usage: 'backendkit schema [--format json-schema|crd] [--output json|yaml]',
  help: [
    'Prints what the registered plugins accept, built from their zod schemas (input side, with defaults):',
    '  json-schema  the JSON Schema (draft 2020-12) of Backend.spec, for editors and validators',
    '  crd          the apiextensions.k8s.io/v1 CustomResourceDefinition of backends.gateway.kgateway.dev',
    '               (v1alpha1) with a structural openAPIV3Schema, for kubectl apply',
    'Exactly one type key, the legacy spec.type and shared-key variants (aws.lambda / aws.ec2) are encoded;',
    'checks zod runs as code (e.g. "must be a DNS name or an IP") are not, so the translator may refuse a',
    'little more than the schema does. Library users get the same for their own plugins from',
    'backendSpecJsonSchema(plugins) and backendCrd(plugins) in @backendkit/core.',
    '',
    'Options:',
    '  -f, --format json-schema|crd   what to print (default json-schema)',
    '  -o, --output json|yaml         output format (default json; yaml suits the CRD)',
    ...PLUGIN_HELP,
  ],
  options: {
    format: { type: 'string', short: 'f', default: 'json-schema' },
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
    const [{ backendCrd, backendSpecJsonSchema, formatJson, formatYaml }, { builtinPlugins }] = await Promise.all([import('@backendkit/core'), import('@backendkit/preset')]);
    const plugins = [...builtinPlugins(), ...(await loadSetup(values, io)).plugins];
    const document = format === 'crd' ? backendCrd(plugins) : backendSpecJsonSchema(plugins);
    io.stdout(output === 'yaml' ? formatYaml(document) : formatJson(document));
    return EXIT_OK;
  },
};
