import type { systemCaSecret as SystemCaSecret } from '@backendkit/policies';
import type { BootstrapOptions } from '@backendkit/xds-server';
import type { Command } from '../command';
import { EXIT_OK, UsageError } from '../io';

/**
 * The header the bootstrap's listener routes by: `CLUSTER_HEADER` of @backendkit/xds-server, written
 * out so that `--help` loads no gRPC (docs/performance.md, "CLI start-up"); a test keeps them equal.
 */
export const ROUTE_HEADER = 'x-backendkit-cluster';

/** `DEFAULT_SYSTEM_CA_BUNDLE` of @backendkit/policies, written out for the same reason; a test keeps them equal. */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

type Secrets = NonNullable<BootstrapOptions['secrets']>;

function port(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`--${name} must be a port number from 0 to 65535, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** The SYSTEM_CA_CERT secret for `--system-ca-bundle` (docs/cli.md): the default bundle, a path, or none. */
function systemCa(value: unknown, systemCaSecret: typeof SystemCaSecret): Secrets {
  if (value === undefined) return [systemCaSecret() as Secrets[number]];
  if (typeof value !== 'string' || value === '') throw new UsageError('--system-ca-bundle must be a file path or none');
  return value === 'none' ? [] : [systemCaSecret({ bundlePath: value }) as Secrets[number]];
}

export const bootstrapCommand: Command = {
  name: 'bootstrap',
  summary: 'print an Envoy bootstrap that takes clusters and endpoints from `backendkit serve`',
  usage: 'backendkit bootstrap [--xds-address HOST:PORT] [--node-id ID] [--admin-port N] [--listener-port N] [--delta] [--system-ca-bundle PATH|none]',
  help: [
    'Prints an Envoy v3 bootstrap (JSON) for `envoy -c`: CDS and EDS over one ADS stream from the',
    'server at --xds-address, an admin interface on 127.0.0.1, and an HTTP listener on 127.0.0.1 that',
    `sends each request to the cluster its \`${ROUTE_HEADER}\` header names. It also holds the static`,
    'SYSTEM_CA_CERT secret that BackendTLSPolicy `wellKnownCACertificates: System` clusters name. See docs/cli.md.',
    '',
    'Options:',
    '  --xds-address HOST:PORT  where `backendkit serve` listens (default 127.0.0.1:18000)',
    '  --node-id ID             Envoy node id (default backendkit)',
    '  --admin-port N           admin port on 127.0.0.1 (default 9901; 0 for none)',
    '  --listener-port N        HTTP listener port on 127.0.0.1 (default 10000; 0 for none)',
    '  --delta                  use incremental (delta) xDS instead of state of the world',
    '  --system-ca-bundle PATH  the CA bundle file SYSTEM_CA_CERT trusts, read by Envoy (default',
    `                           ${SYSTEM_CA_BUNDLE}); none leaves the secret out`,
    '',
    'Exit status: 0 printed; 2 usage error.',
  ],
  options: {
    'xds-address': { type: 'string' },
    'node-id': { type: 'string' },
    'admin-port': { type: 'string' },
    'listener-port': { type: 'string' },
    delta: { type: 'boolean', default: false },
    'system-ca-bundle': { type: 'string' },
  },
  async run(_positionals, values, io) {
    if (_positionals.length > 0) throw new UsageError(`bootstrap takes no arguments, got ${JSON.stringify(_positionals[0])}`);
    const [{ formatJson }, { envoyBootstrap, isXdsAddressError }, { systemCaSecret }] = await Promise.all([
      import('@backendkit/core'),
      import('@backendkit/xds-server'),
      import('@backendkit/policies'),
    ]);
    try {
      const json = envoyBootstrap({
        ...(typeof values['xds-address'] === 'string' ? { xdsAddress: values['xds-address'] } : {}),
        ...(typeof values['node-id'] === 'string' ? { nodeId: values['node-id'] } : {}),
        adminPort: port('admin-port', values['admin-port'], 9901),
        listenerPort: port('listener-port', values['listener-port'], 10000),
        delta: values.delta === true,
        secrets: systemCa(values['system-ca-bundle'], systemCaSecret),
      });
      io.stdout(formatJson(json));
      return EXIT_OK;
    } catch (error) {
      if (isXdsAddressError(error)) throw new UsageError(`--xds-address: ${error.message}`);
      throw error;
    }
  },
};
