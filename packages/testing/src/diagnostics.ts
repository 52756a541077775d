import { formatDiagnostic, type Diagnostic, type Severity } from '@backendkit/core';
import { fail } from './fail';

/**
 * What to look for in a diagnostic. Every given field must match: `path`, `code`, `severity` and
 * `plugin` exactly; `message` as a substring (string) or a pattern (RegExp).
 */
export interface DiagnosticMatch {
  code?: string;
  path?: string;
  message?: string | RegExp;
  severity?: Severity;
  plugin?: string;
}

/** Anything that carries diagnostics: a list, a `PluginRun`, a `TranslationResult`, or a `RunResult`. */
export type DiagnosticSource =
  readonly Diagnostic[] | { readonly diagnostics: readonly Diagnostic[] } | { readonly result: { readonly diagnostics: readonly Diagnostic[] } };

export function diagnosticsOf(source: DiagnosticSource): readonly Diagnostic[] {
  if (Array.isArray(source)) return source;
  if ('result' in source && source.result && Array.isArray(source.result.diagnostics)) return source.result.diagnostics;
  return (source as { diagnostics: readonly Diagnostic[] }).diagnostics;
}

export function matchesDiagnostic(diagnostic: Diagnostic, match: DiagnosticMatch): boolean {
  if (match.code !== undefined && diagnostic.code !== match.code) return false;
  if (match.path !== undefined && diagnostic.path !== match.path) return false;
  if (match.severity !== undefined && diagnostic.severity !== match.severity) return false;
  if (match.plugin !== undefined && diagnostic.plugin !== match.plugin) return false;
  if (match.message !== undefined) {
    const ok = typeof match.message === 'string' ? diagnostic.message.includes(match.message) : match.message.test(diagnostic.message);
    if (!ok) return false;
  }
  return true;
}

/** The diagnostics that match. */
export function findDiagnostics(source: DiagnosticSource, match: DiagnosticMatch): Diagnostic[] {
  return diagnosticsOf(source).filter((d) => matchesDiagnostic(d, match));
}

/** Fails unless some diagnostic matches; returns the first that does. */
export function expectDiagnostic(source: DiagnosticSource, match: DiagnosticMatch): Diagnostic {
  const all = diagnosticsOf(source);
  const found = all.find((d) => matchesDiagnostic(d, match));
  if (!found) fail(`expected a diagnostic matching ${describeMatch(match)}\n${listing(all)}`);
  return found;
}

/**
 * Fails unless the diagnostics are exactly these: each match takes one diagnostic of its own, in
 * any order, and none is left over.
 */
export function expectDiagnostics(source: DiagnosticSource, matches: readonly DiagnosticMatch[]): void {
  const left = [...diagnosticsOf(source)];
  const missing: DiagnosticMatch[] = [];
  for (const match of matches) {
    const index = left.findIndex((d) => matchesDiagnostic(d, match));
    if (index === -1) missing.push(match);
    else left.splice(index, 1);
  }
  if (missing.length === 0 && left.length === 0) return;
  const lines = [...missing.map((m) => `  missing: ${describeMatch(m)}`), ...left.map((d) => `  unexpected: ${formatDiagnostic(d)}`)];
  fail(`diagnostics differ from the ${matches.length} expected:\n${lines.join('\n')}\n${listing(diagnosticsOf(source))}`);
}

/** Fails if there is any error (warnings are fine). */
export function expectNoErrors(source: DiagnosticSource): void {
  const errors = diagnosticsOf(source).filter((d) => d.severity === 'error');
  if (errors.length > 0) fail(`expected no errors, got ${errors.length}:\n${errors.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`);
}

/** Fails if there is any diagnostic at all, warnings included. */
export function expectNoDiagnostics(source: DiagnosticSource): void {
  const all = diagnosticsOf(source);
  if (all.length > 0) fail(`expected no diagnostics, got ${all.length}:\n${all.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`);
}

function describeMatch(match: DiagnosticMatch): string {
  const parts = Object.entries(match).map(([k, v]) => `${k}: ${v instanceof RegExp ? String(v) : JSON.stringify(v)}`);
  return `{${parts.join(', ')}}`;
}

function listing(all: readonly Diagnostic[]): string {
  if (all.length === 0) return 'there are no diagnostics';
  return `the diagnostics are:\n${all.map((d) => `  ${formatDiagnostic(d)} [${d.code}${d.plugin ? ` from ${d.plugin}` : ''}]`).join('\n')}`;
}
