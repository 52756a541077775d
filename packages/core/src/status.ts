import type { Diagnostic } from './diagnostics';
import type { Condition } from './plugin';

export interface ResourceStatus {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  conditions: Condition[];
}

/** How an error reads inside a status message: its path, then what is wrong. */
export function describeError(diagnostic: Diagnostic): string {
  return diagnostic.path ? `${diagnostic.path}: ${diagnostic.message}` : diagnostic.message;
}

/** docs/architecture.md: the `Accepted` condition of a Backend, built from its error diagnostics. */
export function acceptedCondition(errors: readonly Diagnostic[]): Condition {
  if (errors.length === 0) return { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Backend accepted' };
  const quoted = errors.map((e) => JSON.stringify(describeError(e)));
  const message = errors.length === 1 ? `Backend error: ${quoted[0]}` : `Backend has ${errors.length} errors: ${quoted.join(' ')}`;
  return { type: 'Accepted', status: 'False', reason: 'Invalid', message };
}
