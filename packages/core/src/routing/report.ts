import type { Diagnostic } from '../diagnostics';
import { describeError } from '../status';
import type { ResolvedRefsReason } from './types';
import { CORE_PLUGIN } from '../names';

export interface Failure {
  reason: Exclude<ResolvedRefsReason, 'ResolvedRefs'>;
  message: string;
}

/** What resolving one route found, in input order: the first failure decides its condition. */
export class RouteReport {
  readonly diagnostics: Diagnostic[] = [];
  readonly failures: Failure[] = [];
  readonly warnings: string[] = [];

  /** A problem that sends a ref (or a whole rule) to the blackhole. */
  fail(reason: Failure['reason'], message: string, code: string, path: string | undefined, diagnosticMessage = message): void {
    this.failures.push({ reason, message });
    this.diagnostics.push({ severity: 'error', code, message: diagnosticMessage, ...(path ? { path } : {}), plugin: CORE_PLUGIN });
  }

  /** Malformed input: the condition message is the diagnostic itself, path first. */
  malformed(path: string, message: string, code = 'invalid-field'): void {
    this.fail('UnsupportedValue', describeError({ severity: 'error', code, message, path }), code, path, message);
  }

  warn(code: string, path: string, message: string): void {
    const diagnostic: Diagnostic = { severity: 'warning', code, message, path, plugin: CORE_PLUGIN };
    this.diagnostics.push(diagnostic);
    this.warnings.push(describeError(diagnostic));
  }
}
