import type { Command, OptionValues } from '../command';
import { EXIT_OK, type CliIo } from '../io';
import { TRANSLATION_HELP, TRANSLATION_OPTIONS } from '../options';

export interface ServeHandle {
  /** The port the ADS server listens on. */
  port: number;
  /** Translates the inputs again and pushes what changed (what `--watch` does on a change). */
  retranslate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts `backendkit serve`: translates the inputs, serves the clusters over ADS, and with `watch`
 * translates again when a file changes. Resolves once listening; usage errors reject. The server is
 * loaded here, not at start-up (docs/performance.md, "CLI start-up").
 */
export async function startServe(positionals: string[], values: OptionValues, io: CliIo): Promise<ServeHandle> {
  const { startServing } = await import('../serving');
  return startServing(positionals, values, io);
}

function untilSignal(): Promise<string> {
  return new Promise((resolveSignal) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolveSignal(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'translate and serve the clusters to Envoy over ADS (xDS), pushing changes',
  usage: 'backendkit serve <file|dir|->... [--port N] [--host ADDR] [--watch] [--node-id ID] [--system-ca-bundle PATH|none] [translate options]',
  help: [
    'Translates the inputs as `translate` does and serves the clusters (CDS) and endpoints (EDS) over',
    'ADS, state of the world and delta, to every Envoy that connects. Logs one line per push, ACK and',
    'NACK on standard error. Stops on Ctrl-C (SIGINT) or SIGTERM. See docs/cli.md.',
    '',
    'Options:',
    '  --port N                 ADS port (default 18000; 0 picks a free one)',
    '  --host ADDR              address to listen on (default 127.0.0.1)',
    '  --watch                  translate again and push when an input file changes',
    '  --node-id ID             serve only the Envoy whose node id is ID (default: every node)',
    '  --system-ca-bundle PATH  the CA bundle file the SYSTEM_CA_CERT secret served over SDS trusts, read',
    '                           by Envoy (default /etc/ssl/certs/ca-certificates.crt); none: leave it to',
    "                           the bootstrap's static secret",
    ...TRANSLATION_HELP,
    '  (--allow-local-addresses: loopback upstreams, such as local servers, need it)',
    '',
    'Exit status: 0 after a signal; 2 usage or I/O error. Invalid resources are reported and left out.',
  ],
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    watch: { type: 'boolean', default: false },
    'node-id': { type: 'string' },
    'system-ca-bundle': { type: 'string' },
    ...TRANSLATION_OPTIONS,
  },
  async run(positionals, values, io) {
    const handle = await startServe(positionals, values, io);
    const signal = await untilSignal();
    io.stderr(`${signal}: closing streams\n`);
    await handle.close();
    return EXIT_OK;
  },
};
