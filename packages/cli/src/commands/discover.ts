import type { Command } from '../command';
import { UsageError } from '../io';
import { outputFormat } from '../output';

// RFC 1123 label, what Kubernetes accepts as a namespace.
const NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'write one kubernetes Backend per Service port',
  usage: 'backendkit discover <file|dir|->... [--namespace NS] [--output yaml|json]',
  help: [
    'Reads Services (other kinds are ignored) and prints one Backend with spec.kubernetes per Service',
    "port, named <namespace>-<service>-<port> made DNS-safe and labelled with the Service's labels.",
    '',
    'Options:',
    '  -n, --namespace NS       namespace of every Backend (default: the namespace of its Service)',
    '  -o, --output yaml|json   yaml: one document per Backend (default); json: a v1 List',
    '',
    'Exit status: 0 done; 1 some Service is invalid (the others are still printed); 2 usage or I/O error.',
  ],
  options: {
    namespace: { type: 'string', short: 'n' },
    output: { type: 'string', short: 'o', default: 'yaml' },
  },
  async run(positionals, values, io) {
    const format = outputFormat(values.output);
    const namespace = values.namespace;
    if (namespace !== undefined && (typeof namespace !== 'string' || !NAMESPACE.test(namespace))) {
      throw new UsageError(`--namespace must be a Kubernetes namespace name, not ${JSON.stringify(namespace)}`);
    }
    const [{ acceptedKinds, formatJson, formatYaml }, { builtinPlugins }, { discoverBackends }, { report }, { loadInputs }] = await Promise.all([
      import('@backendkit/core'),
      import('@backendkit/preset'),
      import('@backendkit/kubernetes'),
      import('../diagnostics'),
      import('../inputs'),
    ]);
    const { objects, diagnostics, files } = await loadInputs(positionals, io, { kinds: acceptedKinds(builtinPlugins()) });
    const result = discoverBackends(objects, namespace ? { namespace } : {});
    diagnostics.push(...result.diagnostics);
    if (format === 'json') io.stdout(formatJson({ apiVersion: 'v1', kind: 'List', items: result.backends }));
    else io.stdout(result.backends.map((backend) => formatYaml(backend)).join('---\n'));
    return report(diagnostics, io, { files });
  },
};
