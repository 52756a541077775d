import { watch, type FSWatcher } from 'node:fs';
import { resolve } from 'node:path';
import { LOAD_LIMITS, type KubeObject } from '@backendkit/core';
import { redact, secretData } from '@backendkit/core/helpers';
import { createDefaultTranslator } from '@backendkit/preset';
import { formatEvent, isInconsistentSnapshotError, SnapshotCache, snapshotFromTranslation, XdsServer } from '@backendkit/xds-server';
import type { Command, OptionValues } from '../command';
import { EC2_HELP, EC2_OPTIONS, ec2Provide } from '../ec2';
import { loadInputs, report } from '../inputs';
import { EXIT_OK, isUsageError, UsageError, type CliIo } from '../io';
import { byteCount } from './translate';

/** The one cache key every served node gets (docs/cli.md). */
const SERVED = 'served';

export interface ServeHandle {
  /** The port the ADS server listens on. */
  port: number;
  /** Translates the inputs again and pushes what changed (what `--watch` does on a change). */
  retranslate(): Promise<void>;
  close(): Promise<void>;
}

function portOption(value: unknown): number {
  if (value === undefined) return 18000;
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`--port must be a port number from 0 to 65535, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * Starts `backendkit serve`: translates the inputs, serves the clusters over ADS, and with `watch`
 * translates again when a file changes. Resolves once listening; usage errors reject.
 */
export async function startServe(positionals: string[], values: OptionValues, io: CliIo): Promise<ServeHandle> {
  const port = portOption(values.port);
  const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
  const nodeId = typeof values['node-id'] === 'string' ? values['node-id'] : undefined;
  const maxBytes = byteCount(values['max-input-bytes']);
  const limits = maxBytes === undefined ? {} : { maxInputBytes: maxBytes, maxDocumentBytes: maxBytes };
  const allowLocalAddresses = values['allow-local-addresses'] === true;
  const log = (line: string): void => io.stderr(`${line}\n`);

  const load = () => loadInputs(positionals, io, { ...limits, maxBytes: maxBytes ?? LOAD_LIMITS.maxInputBytes });
  const first = await load();
  const provide = await ec2Provide(values, first.objects, io);
  // One translator for the whole run, so a re-translation reuses what did not change.
  const translator = createDefaultTranslator({ provide, allowLocalAddresses });
  const cache = new SnapshotCache({ nodeKey: (node) => (nodeId === undefined || node?.id === nodeId ? SERVED : `other:${node?.id ?? ''}`) });
  const server = new XdsServer({ cache });
  // Envoy's NACK text prints the refused configuration, credentials included (a Lambda cluster's
  // keys): every value of an input Secret is cut out of the log (docs/security.md).
  let secrets: string[] = [];
  const secretValues = (objects: readonly KubeObject[]): string[] =>
    objects.filter((o) => o.kind === 'Secret').flatMap((o) => Object.values(secretData(o)).filter((v): v is string => v !== undefined));
  server.onEvent((event) => log(redact(formatEvent(event), secrets)));

  let translations = 0;
  const publish = (loaded: Awaited<ReturnType<typeof load>>): void => {
    secrets = [...new Set([...secrets, ...secretValues(loaded.objects)])];
    const result = translator.translate(loaded.objects);
    report([...loaded.diagnostics, ...result.diagnostics], io);
    translations += 1;
    const snapshot = snapshotFromTranslation(result);
    log(`translation ${translations}: ${result.clusters.length} clusters, ${result.assignments.length} assignments, version ${snapshot.version}`);
    try {
      cache.setSnapshot(SERVED, snapshot);
    } catch (error) {
      if (!isInconsistentSnapshotError(error)) throw error;
      log(`translation ${translations} not served: ${error.message}`);
    }
  };
  publish(first);
  const bound = await server.listen(port, host);
  log(`serving ADS on ${host.includes(':') ? `[${host}]` : host}:${bound}${nodeId === undefined ? ' to every node' : ` to node ${JSON.stringify(nodeId)}`}`);

  const retranslate = async (): Promise<void> => {
    try {
      publish(await load());
    } catch (error) {
      // A file half-written or removed while watching: keep serving the last translation.
      if (!isUsageError(error)) throw error;
      log(`not translated again: ${error.message}`);
    }
  };

  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  if (values.watch === true) {
    const onChange = (): void => {
      clearTimeout(timer);
      // Editors write a file in several steps: translate once they are done.
      timer = setTimeout(() => (running = running.then(retranslate)), 100);
    };
    for (const path of positionals.filter((p) => p !== '-')) {
      watchers.push(watch(resolve(io.cwd, path), { recursive: true }, onChange));
    }
    log(`watching ${positionals.filter((p) => p !== '-').join(', ')}`);
  }

  return {
    port: bound,
    retranslate: () => (running = running.then(retranslate)),
    async close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      await running;
      await server.close();
    },
  };
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
  usage: 'backendkit serve <file|dir|->... [--port N] [--host ADDR] [--watch] [--node-id ID] [translate options]',
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
    '  --max-input-bytes N      as for translate',
    '  --allow-local-addresses  as for translate: loopback upstreams (local servers) need it',
    ...EC2_HELP,
    '',
    'Exit status: 0 after a signal; 2 usage or I/O error. Invalid resources are reported and left out.',
  ],
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    watch: { type: 'boolean', default: false },
    'node-id': { type: 'string' },
    'max-input-bytes': { type: 'string' },
    'allow-local-addresses': { type: 'boolean', default: false },
    ...EC2_OPTIONS,
  },
  async run(positionals, values, io) {
    const handle = await startServe(positionals, values, io);
    const signal = await untilSignal();
    io.stderr(`${signal}: closing streams\n`);
    await handle.close();
    return EXIT_OK;
  },
};
