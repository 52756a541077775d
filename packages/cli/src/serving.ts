import { watch, type FSWatcher } from 'node:fs';
import { resolve } from 'node:path';
import type { KubeObject } from '@backendkit/core';
import { printable, redact, secretData } from '@backendkit/core/helpers';
import { formatEvent, isInconsistentSnapshotError, SnapshotCache, snapshotFromTranslation, XdsServer } from '@backendkit/xds-server';
import type { OptionValues } from './command';
import type { ServeHandle } from './commands/serve';
import { diagnosticsFormat, report } from './diagnostics';
import { ec2Provide } from './ec2';
import { loadInputs } from './inputs';
import { isUsageError, UsageError, type CliIo } from './io';
import { setupTranslator, translationSetup } from './translation';

// `backendkit serve` itself, loaded when it runs (docs/performance.md, "CLI start-up"): the gRPC
// server and the translator are not needed for `--help`.

/** The one cache key every served node gets (docs/cli.md). */
const SERVED = 'served';

function portOption(value: unknown): number {
  if (value === undefined) return 18000;
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`--port must be a port number from 0 to 65535, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** `--system-ca-bundle`: the CA bundle file of the SYSTEM_CA_CERT secret served over SDS, or none (docs/cli.md). */
function systemCaBundleOption(value: unknown): string | false | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError('--system-ca-bundle must be a file path or none');
  return value === 'none' ? false : value;
}

/**
 * Starts `backendkit serve`: translates the inputs, serves the clusters over ADS, and with `watch`
 * translates again when a file changes. Resolves once listening; usage errors reject.
 */
export async function startServing(positionals: string[], values: OptionValues, io: CliIo): Promise<ServeHandle> {
  const port = portOption(values.port);
  const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
  const nodeId = typeof values['node-id'] === 'string' ? values['node-id'] : undefined;
  const systemCaBundle = systemCaBundleOption(values['system-ca-bundle']);
  const setup = await translationSetup(values, io);
  const format = diagnosticsFormat(values.diagnostics);
  // Lines echo paths and messages: escaped, so none can forge another line (docs/security.md).
  const log = (line: string): void => io.stderr(`${printable(line)}\n`);

  const load = () => loadInputs(positionals, io, setup.load);
  const first = await load();
  const ec2 = await ec2Provide(values, first.objects, io);
  // One translator for the whole run, so a re-translation reuses what did not change.
  const translator = setupTranslator(setup, ec2.provide);
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
    const diagnostics =
      translations === 0 ? [...loaded.diagnostics, ...ec2.diagnostics, ...result.diagnostics] : [...loaded.diagnostics, ...result.diagnostics];
    report(diagnostics, io, { files: loaded.files, format, quiet: values.quiet === true });
    translations += 1;
    const snapshot = snapshotFromTranslation(result, systemCaBundle === undefined ? {} : { systemCaBundle });
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
