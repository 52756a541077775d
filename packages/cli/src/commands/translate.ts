import { formatDiagnostic, formatJson, formatYaml, loadText, toOutputDocument, type Diagnostic, type KubeObject } from '@backendkit/core';
import { createDefaultTranslator } from '@backendkit/preset';
import type { Command } from '../command';
import { EC2_HELP, EC2_OPTIONS, ec2Provide } from '../ec2';
import { readInputs } from '../inputs';
import { EXIT_INVALID, EXIT_OK, UsageError } from '../io';
import { outputFormat } from '../output';

export const translateCommand: Command = {
  name: 'translate',
  summary: 'translate Backends (and Services, Secrets, ...) into Envoy clusters',
  usage: 'backendkit translate <file|dir|->... [--output json|yaml] [--ec2-instances FILE | --discover-ec2 [--ec2-endpoint URL]]',
  help: [
    'Reads Kubernetes-style YAML or JSON (several documents per file, or kind: List) and prints one',
    'document: {clusters, endpoints, statuses}, plus routes when the input has HTTPRoutes (backendRefs',
    'resolved to clusters). Clusters are Envoy v3 Cluster proto3 JSON.',
    '',
    'Options:',
    '  -o, --output json|yaml   output format (default json)',
    ...EC2_HELP,
    '',
    'Exit status: 0 all translated; 1 some resource is invalid (output is still printed); 2 usage or I/O error.',
  ],
  options: {
    output: { type: 'string', short: 'o', default: 'json' },
    ...EC2_OPTIONS,
  },
  async run(positionals, values, io) {
    const format = outputFormat(values.output);
    const inputs = await readInputs(positionals, io);
    const objects: KubeObject[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const { file, text } of inputs) {
      const loaded = loadText(text, { file });
      objects.push(...loaded.objects);
      diagnostics.push(...loaded.diagnostics);
    }
    const provide = await ec2Provide(values, objects, io);
    const result = createDefaultTranslator({ provide }).translate(objects);
    diagnostics.push(...result.diagnostics);
    const document = toOutputDocument(result);
    io.stdout(format === 'yaml' ? formatYaml(document) : formatJson(document));
    for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
    return diagnostics.some((d) => d.severity === 'error') ? EXIT_INVALID : EXIT_OK;
  },
};

export { UsageError };
