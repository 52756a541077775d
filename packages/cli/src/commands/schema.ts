import { formatJson, formatYaml } from '@backendkit/core';
import { backendCrd, backendSpecJsonSchema, pluginCrds } from '@backendkit/core/schema';
import { builtinPlugins } from '@backendkit/preset';
import type { Command } from '../command';
import { EXIT_OK, UsageError } from '../io';
import { outputFormat } from '../output';

const FORMATS = ['json-schema', 'crd', 'crds'] as const;

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of Backend.spec, or the Backend CRD, for the registered plugins',
  usage: 'backendkit schema [--format json-schema|crd|crds] [--output json|yaml]',
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
  ],
  options: {
    format: { type: 'string', short: 'f', default: 'json-schema' },
    output: { type: 'string', short: 'o', default: 'json' },
  },
  async run(positionals, values, io) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const format = values.format;
    if (!FORMATS.includes(format as (typeof FORMATS)[number])) {
      throw new UsageError(`--format must be ${FORMATS.join(' or ')}, not ${JSON.stringify(format)}`);
    }
    const output = outputFormat(values.output);
    const plugins = builtinPlugins();
    const document =
      format === 'crd'
        ? backendCrd(plugins)
        : format === 'crds'
          ? { apiVersion: 'v1', kind: 'List', items: [backendCrd(plugins), ...pluginCrds(plugins)] }
          : backendSpecJsonSchema(plugins);
    io.stdout(output === 'yaml' ? formatYaml(document) : formatJson(document));
    return EXIT_OK;
  },
};
