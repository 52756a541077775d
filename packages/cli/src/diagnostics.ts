import { locationText, type Diagnostic } from '@backendkit/core';
import { printable } from '@backendkit/core/helpers';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from './io';

export type DiagnosticsFormat = 'text' | 'json';

export function diagnosticsFormat(value: unknown): DiagnosticsFormat {
  if (value === undefined || value === 'text' || value === 'json') return (value as DiagnosticsFormat | undefined) ?? 'text';
  throw new UsageError(`--diagnostics must be text or json, not ${JSON.stringify(value)}`);
}

const COLORS = { error: '\x1b[1;31m', warning: '\x1b[1;33m' } as const;

/**
 * `file.yaml:12:3: error: Backend ns/name: spec.static.hosts[0].port: message`, the GCC and tsc
 * convention editors and terminals turn into links (docs/cli.md, "Diagnostics").
 */
export function formatLine(diagnostic: Diagnostic, color = false): string {
  // File names, names and messages are escaped, so none can forge a line or a colour (docs/security.md).
  const parts: string[] = [];
  if (diagnostic.source) parts.push(printable(locationText(diagnostic.source)));
  parts.push(color ? `${COLORS[diagnostic.severity]}${diagnostic.severity}\x1b[0m` : diagnostic.severity);
  if (diagnostic.resource) parts.push(printable(`${diagnostic.resource.kind} ${diagnostic.resource.namespace}/${diagnostic.resource.name}`));
  if (diagnostic.path) parts.push(printable(diagnostic.path));
  return `${parts.join(': ')}: ${printable(diagnostic.message)}`;
}

/** The fields a tool reads, flat: `--diagnostics json`. */
export function diagnosticObject(diagnostic: Diagnostic): Record<string, unknown> {
  const { source, resource, ...rest } = diagnostic;
  return {
    severity: rest.severity,
    code: rest.code,
    message: rest.message,
    ...(source ? { file: source.file, document: source.document, line: source.line, column: source.column } : {}),
    ...(rest.path ? { path: rest.path } : {}),
    ...(resource ? { resource } : {}),
    ...(rest.plugin ? { plugin: rest.plugin } : {}),
  };
}

/**
 * File order: the inputs in the order given, then line and column; diagnostics without a location
 * (of objects built elsewhere) last, in the order they came. Stable otherwise.
 */
export function inFileOrder(diagnostics: readonly Diagnostic[], files: readonly string[]): Diagnostic[] {
  const rank = new Map(files.map((file, i) => [file, i]));
  const key = (d: Diagnostic): [number, number, number] =>
    d.source ? [rank.get(d.source.file) ?? files.length, d.source.line ?? 0, d.source.column ?? 0] : [files.length + 1, 0, 0];
  return diagnostics
    .map((d, i) => ({ d, i, k: key(d) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i)
    .map((e) => e.d);
}

export interface ReportOptions {
  files?: readonly string[];
  format?: DiagnosticsFormat;
  /** Leave warnings out (errors are always printed). */
  quiet?: boolean;
  /** The last line, after the diagnostics (text), or a `summary` field (json). */
  summary?: { text: string; counts: Record<string, number> };
}

/** Prints diagnostics on standard error; the exit status they call for. */
export function report(diagnostics: readonly Diagnostic[], io: CliIo, options: ReportOptions = {}): number {
  const ordered = inFileOrder(diagnostics, options.files ?? []);
  const shown = options.quiet ? ordered.filter((d) => d.severity === 'error') : ordered;
  if (options.format === 'json') {
    const document = { diagnostics: shown.map(diagnosticObject), ...(options.summary ? { summary: options.summary.counts } : {}) };
    io.stderr(`${JSON.stringify(document)}\n`);
  } else {
    for (const diagnostic of shown) io.stderr(`${formatLine(diagnostic, io.color)}\n`);
    if (options.summary && !options.quiet) io.stderr(`${printable(options.summary.text)}\n`);
  }
  return diagnostics.some((d) => d.severity === 'error') ? EXIT_INVALID : EXIT_OK;
}
