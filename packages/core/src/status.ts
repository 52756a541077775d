import { printable, type Diagnostic } from './diagnostics';
import type { AncestorStatus, Condition } from './plugin';

export interface ResourceStatus {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  conditions: Condition[];
  /** Per-ancestor statuses (Gateway API's `PolicyStatus.ancestors`), when the owning plugin gives them. */
  ancestors?: AncestorStatus[];
}

/** Gateway API's `PolicyStatus.ancestors` holds at most this many entries (`maxItems: 16`). */
export const MAX_ANCESTORS = 16;

/** A plugin's ancestor statuses as they go into a status: at most `MAX_ANCESTORS`, each condition bounded. */
export function boundedAncestors(ancestors: readonly AncestorStatus[]): AncestorStatus[] {
  return ancestors.slice(0, MAX_ANCESTORS).map((a) => ({ ...a, conditions: a.conditions.map(boundedCondition) }));
}

/** How an error reads inside a status message: its path, then what is wrong. */
export function describeError(diagnostic: Diagnostic): string {
  return diagnostic.path ? `${diagnostic.path}: ${diagnostic.message}` : diagnostic.message;
}

/** Kubernetes refuses a condition message longer than this (metav1.Condition, `maxLength: 32768`). */
export const MAX_CONDITION_MESSAGE = 32768;

/**
 * docs/architecture.md: the `Accepted` condition of a Backend, built from its error diagnostics. The message holds
 * as many errors as fit in `MAX_CONDITION_MESSAGE`, then says how many more there are; control
 * characters are escaped (`printable`).
 */
export function acceptedCondition(errors: readonly Diagnostic[]): Condition {
  if (errors.length === 0) return { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Backend accepted' };
  const head = errors.length === 1 ? 'Backend error: ' : `Backend has ${errors.length} errors: `;
  let message = head;
  for (let i = 0; i < errors.length; i++) {
    const quoted = printable(JSON.stringify(describeError(errors[i]!)));
    const rest = errors.length - i - 1;
    // Room for this error and, if others follow, for the longest possible " … and N more".
    const reserve = rest > 0 ? ` … and ${errors.length} more`.length : 0;
    if ((message + quoted).length + 1 + reserve > MAX_CONDITION_MESSAGE) {
      message += `${message === head ? '' : ' '}… and ${errors.length - i} more`;
      break;
    }
    message += `${i === 0 ? '' : ' '}${quoted}`;
  }
  return { type: 'Accepted', status: 'False', reason: 'Invalid', message };
}

/**
 * A plugin's condition as it goes into a status: its message with control characters escaped and cut
 * to `MAX_CONDITION_MESSAGE` (Kubernetes would refuse the whole status update otherwise).
 */
export function boundedCondition(condition: Condition): Condition {
  let message = printable(condition.message);
  if (message.length > MAX_CONDITION_MESSAGE) {
    const more = ` … (${message.length} characters in all)`;
    message = message.slice(0, MAX_CONDITION_MESSAGE - more.length) + more;
  }
  return message === condition.message ? condition : { ...condition, message };
}
