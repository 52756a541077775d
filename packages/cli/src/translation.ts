import {
  acceptedKinds,
  CLUSTER_SHAPES,
  isPluginError,
  LOAD_LIMITS,
  type BackendPlugin,
  type ClusterShape,
  type CreateTranslatorOptions,
  type Diagnostic,
  type TranslationResult,
  type Translator,
  type TranslatorOptions,
} from '@backendkit/core';
import { builtinPlugins, createDefaultTranslator } from '@backendkit/preset';
import type { OptionValues } from './command';
import { loadSetup } from './config';
import { diagnosticsFormat, report } from './diagnostics';
import { ec2Provide } from './ec2';
import { loadInputs, type InputOptions } from './inputs';
import { UsageError, type CliIo } from './io';

/**
 * With `--max-input-bytes N`, a text may hold N / 64 documents: the smallest object the loader keeps
 * (apiVersion, kind, metadata.name) takes about that much YAML, and documents, read one at a time,
 * cost time but no memory once read (docs/performance.md, "The YAML loader").
 */
const BYTES_PER_DOCUMENT = 64;

/** Above this many objects, a terminal shows what is going on while the translation runs. */
const PROGRESS_THRESHOLD = 5000;

export interface Translated {
  result: TranslationResult;
  diagnostics: Diagnostic[];
  files: string[];
  started: number;
}

/** What `translate`, `validate` and `serve` take from the options and the config file. */
export interface TranslationSetup {
  /** The plugins after the built-in ones (config file, then `--plugin`). */
  plugins: BackendPlugin[];
  /** How inputs are read: limits, and the kinds the registered plugins read. */
  load: InputOptions;
  /** Translator options: the config file's, with the command-line options over them. */
  translator: TranslatorOptions;
}

export async function translationSetup(values: OptionValues, io: CliIo): Promise<TranslationSetup> {
  const setup = await loadSetup(values, io);
  const maxBytes = byteCount(values['max-input-bytes']);
  // The option overrides the config file's `translator.clusterShape`; `current` without either.
  const clusterShape = values['cluster-shape'] === undefined ? (setup.translator.clusterShape ?? 'current') : shapeOption(values['cluster-shape']);
  diagnosticsFormat(values.diagnostics);
  // One limit for files and documents: who raises it has a big `kind: List` dump in mind, or a big
  // multi-document file, so the number of documents follows it (docs/cli.md).
  const limits =
    maxBytes === undefined
      ? {}
      : { maxInputBytes: maxBytes, maxDocumentBytes: maxBytes, maxDocuments: Math.max(LOAD_LIMITS.maxDocuments, Math.floor(maxBytes / BYTES_PER_DOCUMENT)) };
  return {
    plugins: setup.plugins,
    load: {
      ...limits,
      // The kinds the registered plugins read (docs/plugins.md); any other object is skipped with a warning.
      kinds: acceptedKinds([...builtinPlugins(), ...setup.plugins]),
      maxBytes: maxBytes ?? LOAD_LIMITS.maxInputBytes,
    },
    translator: {
      ...setup.translator,
      allowLocalAddresses: values['allow-local-addresses'] === true || setup.translator.allowLocalAddresses === true,
      backendRefPort: values['refuse-backend-ref-port'] === true ? 'refuse' : (setup.translator.backendRefPort ?? 'ignore'),
      clusterShape,
    },
  };
}

/** Reads the inputs, gives aws.ec2 Backends their instances and translates. */
export async function translateInputs(positionals: readonly string[], values: OptionValues, io: CliIo): Promise<Translated> {
  const started = performance.now();
  const setup = await translationSetup(values, io);
  const { objects, diagnostics, files } = await loadInputs(positionals, io, setup.load);
  const ec2 = await ec2Provide(values, objects, io);
  diagnostics.push(...ec2.diagnostics);
  const progress = io.tty && !values.quiet && objects.length > PROGRESS_THRESHOLD;
  if (progress) io.stderr(`translating ${objects.length.toLocaleString('en')} objects...`);
  // One translation, so no incremental cache (docs/performance.md).
  const result = setupTranslator(setup, ec2.provide, { incremental: false }).translate(objects);
  if (progress) io.stderr('\r\x1b[K');
  diagnostics.push(...result.diagnostics);
  return { result, diagnostics, files, started };
}

/** The translator a setup describes, with the built-in plugins first. */
export function setupTranslator(setup: TranslationSetup, provide: CreateTranslatorOptions['provide'], options: { incremental?: boolean } = {}): Translator {
  return translator({ ...setup.translator, ...options, plugins: setup.plugins, ...(provide ? { provide } : {}) });
}

/** A plugin that breaks the contract (two claim one key, ...) is a usage error, not a crash. */
function translator(options: Parameters<typeof createDefaultTranslator>[0]): Translator {
  try {
    return createDefaultTranslator(options);
  } catch (error) {
    if (isPluginError(error)) throw new UsageError(`the plugins cannot be registered: ${error.message}`);
    throw error;
  }
}

/** Prints the diagnostics and the summary line; the exit status. */
export function reportTranslation({ result, diagnostics, files, started }: Translated, values: OptionValues, io: CliIo): number {
  const backends = result.statuses.filter((s) => s.kind === 'Backend');
  const counts = {
    backends: backends.length,
    clusters: result.clusters.length,
    invalid: backends.filter((s) => s.conditions.some((c) => c.type === 'Accepted' && c.status === 'False')).length,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
  const seconds = (performance.now() - started) / 1000;
  const text = [
    plural(counts.backends, 'Backend'),
    plural(counts.clusters, 'cluster'),
    `${counts.invalid} invalid`,
    plural(counts.errors, 'error'),
    plural(counts.warnings, 'warning'),
  ].join(', ');
  return report(diagnostics, io, {
    files,
    format: diagnosticsFormat(values.diagnostics),
    quiet: values.quiet === true,
    summary: { text: `${text} in ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`, counts },
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

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
