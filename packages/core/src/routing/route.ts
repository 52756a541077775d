import { isPlainObject } from '../load';
import type { Condition } from '../plugin';
import type { KubeObject } from '../resources';
import { resolveRef, type RefScope } from './ref';
import { RouteReport } from './report';
import type { RouteKind, RouteResult, RuleResult } from './types';

/** One route (any of `ROUTE_KINDS`): every rule's refs resolved, and its one `ResolvedRefs` condition. */
export function resolveRoute(route: KubeObject, scope: RefScope): { result: RouteResult; report: RouteReport } {
  const report = new RouteReport();
  const rules = readRules(route.spec, report).map(({ value, path }) => resolveRule(value, path, scope, report));
  const { namespace, name } = route.metadata;
  const result: RouteResult = { kind: scope.routeKind, namespace, name, rules, conditions: [resolvedRefs(report)], warnings: report.warnings };
  return { result, report };
}

/**
 * Two routes of one kind with one namespace and name: neither is trusted, like a duplicate Backend.
 * Only the condition: the error naming both places comes from the envelope screen (`screenEnvelopes`).
 */
export function duplicateRoute(route: KubeObject, kind: RouteKind): { result: RouteResult; report: RouteReport } {
  const report = new RouteReport();
  const { namespace, name } = route.metadata;
  const message = `${kind} ${namespace}/${name} is defined more than once`;
  report.failures.push({ reason: 'UnsupportedValue', message });
  const result: RouteResult = { kind, namespace, name, rules: [], conditions: [resolvedRefs(report)], warnings: [] };
  return { result, report };
}

interface Located {
  value: unknown;
  path: string;
}

function readRules(spec: unknown, report: RouteReport): Located[] {
  if (!isPlainObject(spec)) {
    report.malformed('spec', spec === undefined ? 'required' : 'must be an object');
    return [];
  }
  return readList(spec.rules, 'spec.rules', report);
}

/** An absent list is an empty one; anything but a list is reported. */
function readList(value: unknown, path: string, report: RouteReport): Located[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report.malformed(path, 'must be a list');
    return [];
  }
  return value.map((item, i) => ({ value: item, path: `${path}[${i}]` }));
}

function resolveRule(rule: unknown, path: string, scope: RefScope, report: RouteReport): RuleResult {
  if (!isPlainObject(rule)) {
    // The rule keeps its place in the output, so rules[i] still lines up with the input.
    report.malformed(path, 'must be an object');
    return { backendRefs: [] };
  }
  const refs = readList(rule.backendRefs, `${path}.backendRefs`, report);
  return { backendRefs: refs.map(({ value, path: refPath }) => resolveRef(value, refPath, scope, report)) };
}

/**
 * docs/routing.md: True when every ref resolved (kgateway's message), else False with the
 * first failure's reason and message.
 */
function resolvedRefs(report: RouteReport): Condition {
  const first = report.failures[0];
  if (!first) return { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'Route has valid refs' };
  return { type: 'ResolvedRefs', status: 'False', reason: first.reason, message: first.message };
}
