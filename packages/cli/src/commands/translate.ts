import { acceptedKinds, CLUSTER_SHAPES, formatJsonChunks, formatYaml, LOAD_LIMITS, toOutputDocument, type ClusterShape } from '@backendkit/core';
import { builtinPlugins, createDefaultTranslator } from '@backendkit/preset';
import type { Command } from '../command';
import { EC2_HELP, EC2_OPTIONS, ec2Provide } from '../ec2';
import { loadInputs, report } from '../inputs';
import { UsageError } from '../io';
import { outputFormat } from '../output';

export const translateCommand: Command = {
  name: 'translate',
  summary: 'translate Backends (and Services, Secrets, ...) into Envoy clusters',
  usage: 'backendkit translate <file|dir|->... [--output json|yaml] [--ec2-instances FILE | --discover-ec2 [--ec2-endpoint URL]] [--allow-local-addresses] [--refuse-backend-ref-port] [--max-input-bytes N] [--cluster-shape current|legacy]',
  help: [
    'Reads Kubernetes-style YAML or JSON (several documents per file, or kind: List) and prints one',
    'document: {clusters, endpoints, statuses}, plus routes when the input has HTTPRoutes (backendRefs',
    'resolved to clusters). Clusters are Envoy v3 Cluster proto3 JSON.',
    '',
    'Options:',
    '  -o, --output json|yaml   output format (default json)',
    '  --max-input-bytes N      refuse a file, standard input or one YAML document larger than N bytes',
    '                           (default: 16 MiB per file, 4 MiB per document)',
    '  --allow-local-addresses  allow loopback, unspecified and link-local upstream addresses (and',
    '                           localhost), refused by default: see docs/security.md',
    '  --refuse-backend-ref-port  a port on a Backend backendRef fails the ref (BackendNotFound), as in',
    '                           kgateway, instead of being ignored with a warning: see docs/routing.md',
    '  --cluster-shape current|legacy',
    '                           current (default): DNS clusters use the envoy.clusters.dns extension',
    '                           and Lambda signs with aws_request_signing; legacy: STRICT_DNS/LOGICAL_DNS',
    '                           and Lambda credentials on aws_lambda, for Envoy before 1.33: see',
    '                           docs/dns-clusters.md',
    ...EC2_HELP,
    '',
    'Exit status: 0 all translated; 1 some resource is invalid (output is still printed); 2 usage or I/O error.',
  ],
  options: {
    output: { type: 'string', short: 'o', default: 'json' },
    'max-input-bytes': { type: 'string' },
    'allow-local-addresses': { type: 'boolean', default: false },
    'cluster-shape': { type: 'string', default: 'current' },
    'refuse-backend-ref-port': { type: 'boolean', default: false },
    ...EC2_OPTIONS,
  },
  async run(positionals, values, io) {
    const format = outputFormat(values.output);
    const clusterShape = shapeOption(values['cluster-shape']);
    const maxBytes = byteCount(values['max-input-bytes']);
    // One limit for files and documents: who raises it has a big `kind: List` dump in mind.
    const limits = maxBytes === undefined ? {} : { maxInputBytes: maxBytes, maxDocumentBytes: maxBytes };
    const { objects, diagnostics } = await loadInputs(positionals, io, { ...limits, kinds: acceptedKinds(builtinPlugins()), maxBytes: maxBytes ?? LOAD_LIMITS.maxInputBytes });
    const provide = await ec2Provide(values, objects, io);
    const allowLocalAddresses = values['allow-local-addresses'] === true;
    const backendRefPort = values['refuse-backend-ref-port'] === true ? 'refuse' : 'ignore';
    // One translation, so no incremental cache (docs/performance.md).
    const result = createDefaultTranslator({ provide, allowLocalAddresses, backendRefPort, clusterShape, incremental: false }).translate(objects);
    for (const d of result.diagnostics) diagnostics.push(d);
    const document = toOutputDocument(result);
    if (format === 'yaml') io.stdout(formatYaml(document));
    // In pieces, in order: the whole text never sits beside the document (docs/performance.md).
    else for (const chunk of formatJsonChunks(document)) io.stdout(chunk);
    return report(diagnostics, io);
  },
};

export function byteCount(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[1-9]\d*$/.test(value)) throw new UsageError(`--max-input-bytes must be a positive whole number, not "${String(value)}"`);
  return Number(value);
}

function shapeOption(value: unknown): ClusterShape {
  const shape = CLUSTER_SHAPES.find((s) => s === value);
  if (!shape) throw new UsageError(`--cluster-shape must be ${CLUSTER_SHAPES.join(' or ')}, not "${String(value)}"`);
  return shape;
}
