import type { Command } from '../command';
import { TRANSLATION_HELP, TRANSLATION_OPTIONS } from '../options';
import { outputFormat } from '../output';

export const translateCommand: Command = {
  name: 'translate',
  summary: 'translate Backends (and Services, Secrets, ...) into Envoy clusters',
  usage:
    'backendkit translate <file|dir|->... [--output json|yaml] [--ec2-instances FILE | --discover-ec2 [--ec2-endpoint URL]] [--allow-local-addresses] [--refuse-backend-ref-port] [--max-input-bytes N] [--cluster-shape current|legacy]',
  help: [
    'Reads Kubernetes-style YAML or JSON (several documents per file, or kind: List) and prints one',
    'document: {clusters, endpoints, statuses}, plus routes when the input has HTTPRoutes (backendRefs',
    'resolved to clusters). Clusters are Envoy v3 Cluster proto3 JSON. Diagnostics and a summary line',
    'go to standard error.',
    '',
    'Options:',
    '  -o, --output json|yaml   output format (default json)',
    ...TRANSLATION_HELP,
    '',
    'Exit status: 0 all translated; 1 some resource is invalid (output is still printed); 2 usage or I/O error.',
  ],
  options: {
    output: { type: 'string', short: 'o', default: 'json' },
    ...TRANSLATION_OPTIONS,
  },
  async run(positionals, values, io) {
    const format = outputFormat(values.output);
    // Loaded here, not at start-up: `--help` needs none of it (docs/performance.md).
    const [{ formatJsonChunks, formatYamlChunks, toOutputDocument }, { reportTranslation, translateInputs }] = await Promise.all([
      import('@backendkit/core'),
      import('../translation'),
    ]);
    const translated = await translateInputs(positionals, values, io);
    const document = toOutputDocument(translated.result);
    // In pieces, in order: the whole text never sits beside the document (docs/performance.md).
    for (const chunk of format === 'yaml' ? formatYamlChunks(document) : formatJsonChunks(document)) io.stdout(chunk);
    return reportTranslation(translated, values, io);
  },
};
