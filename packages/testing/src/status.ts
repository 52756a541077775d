import type { Condition, ResourceStatus } from '@backendkit/core';
import { fail } from './fail';

/** Anything that carries statuses: a list, a `PluginRun`, a `TranslationResult`, or a `RunResult`. */
export type StatusSource =
  | readonly ResourceStatus[]
  | { readonly status: ResourceStatus }
  | { readonly statuses: readonly ResourceStatus[] }
  | { readonly output: { readonly statuses: readonly ResourceStatus[] } };

/** `namespace/name`, or just `name` in `default`. Optional when the source holds one status. */
export type StatusRef = string | { namespace?: string; name: string };

/** What to look for in a condition: `type` exactly, the rest exactly, `message` as substring or pattern. */
export interface ConditionMatch {
  type: string;
  status?: Condition['status'];
  reason?: string;
  message?: string | RegExp;
}

function statusesOf(source: StatusSource): readonly ResourceStatus[] {
  if (Array.isArray(source)) return source;
  if ('status' in source) return [source.status];
  if ('statuses' in source) return source.statuses;
  return (source as { output: { statuses: readonly ResourceStatus[] } }).output.statuses;
}

/** The status of one resource; fails with the list of known ones when it is not there. */
export function statusOf(source: StatusSource, ref?: StatusRef): ResourceStatus {
  const all = statusesOf(source);
  const known = () => all.map((s) => `${s.kind} ${s.namespace}/${s.name}`).join(', ') || 'none';
  if (ref === undefined) {
    if (all.length === 1) return all[0]!;
    return fail(`expected one status to pick from, found ${all.length} (${known()}); name the resource`);
  }
  const { namespace, name } = typeof ref === 'string' ? splitRef(ref) : { namespace: ref.namespace ?? 'default', name: ref.name };
  const found = all.find((s) => s.namespace === namespace && s.name === name);
  return found ?? fail(`no status for ${namespace}/${name} (statuses: ${known()})`);
}

/** Fails unless the resource has a condition matching; returns it. */
export function expectCondition(source: StatusSource, ref: StatusRef | undefined, match: ConditionMatch): Condition {
  const status = statusOf(source, ref);
  const condition = status.conditions.find((c) => c.type === match.type);
  const where = `${status.kind} ${status.namespace}/${status.name}`;
  if (!condition) fail(`${where} has no ${match.type} condition\n${conditionList(status)}`);
  const wrong: string[] = [];
  if (match.status !== undefined && condition.status !== match.status) wrong.push(`status is ${condition.status}, expected ${match.status}`);
  if (match.reason !== undefined && condition.reason !== match.reason) wrong.push(`reason is ${condition.reason}, expected ${match.reason}`);
  if (match.message !== undefined) {
    const ok = typeof match.message === 'string' ? condition.message.includes(match.message) : match.message.test(condition.message);
    if (!ok)
      wrong.push(
        `message ${JSON.stringify(condition.message)} does not match ${match.message instanceof RegExp ? match.message : JSON.stringify(match.message)}`,
      );
  }
  if (wrong.length > 0) fail(`${where} condition ${match.type}: ${wrong.join('; ')}\n${conditionList(status)}`);
  return condition;
}

/** `Accepted=True`. */
export function expectAccepted(source: StatusSource, ref?: StatusRef): void {
  expectCondition(source, ref, { type: 'Accepted', status: 'True', reason: 'Accepted' });
}

/** `Accepted=False`, reason `Invalid`, and (when given) a message that matches. */
export function expectInvalid(source: StatusSource, ref?: StatusRef, message?: string | RegExp): void {
  expectCondition(source, ref, { type: 'Accepted', status: 'False', reason: 'Invalid', ...(message !== undefined ? { message } : {}) });
}

function splitRef(ref: string): { namespace: string; name: string } {
  const slash = ref.indexOf('/');
  return slash === -1 ? { namespace: 'default', name: ref } : { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
}

function conditionList(status: ResourceStatus): string {
  if (status.conditions.length === 0) return 'it has no conditions';
  return `its conditions are:\n${status.conditions.map((c) => `  ${c.type}=${c.status} ${c.reason}: ${c.message}`).join('\n')}`;
}
