import type { OptionsConfig } from './command';
import { PLUGIN_HELP, PLUGIN_OPTIONS } from './config';

// Option tables only: `--help` and a usage error load nothing else (docs/performance.md, "CLI start-up").

/** `translate` options that give aws.ec2 Backends their instances. */
export const EC2_OPTIONS: OptionsConfig = {
  'ec2-instances': { type: 'string' },
  'discover-ec2': { type: 'boolean' },
  'ec2-endpoint': { type: 'string' },
};

export const EC2_HELP: string[] = [
  '  --ec2-instances FILE     instances for aws.ec2 Backends from a file of `aws ec2 describe-instances` JSON',
  "  --discover-ec2           call EC2 DescribeInstances once (each Backend's region and credentials) first",
  '  --ec2-endpoint URL       EC2 endpoint for --discover-ec2 (LocalStack and the like)',
];

/** The options `translate` and `validate` share: how inputs are read, translated and reported. */
export const TRANSLATION_OPTIONS: OptionsConfig = {
  'max-input-bytes': { type: 'string' },
  'allow-local-addresses': { type: 'boolean', default: false },
  'cluster-shape': { type: 'string' },
  'refuse-backend-ref-port': { type: 'boolean', default: false },
  diagnostics: { type: 'string' },
  quiet: { type: 'boolean', short: 'q', default: false },
  ...EC2_OPTIONS,
  ...PLUGIN_OPTIONS,
};

export const TRANSLATION_HELP: string[] = [
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
  '  --diagnostics text|json  text: file:line:col: severity: ... lines (default); json: one JSON',
  '                           document {diagnostics, summary} on standard error, for tools',
  '  -q, --quiet              print errors only: no warnings, no summary line',
  ...EC2_HELP,
  ...PLUGIN_HELP,
];
