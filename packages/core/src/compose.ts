import type { DescMessage, JsonObject } from '@bufbuild/protobuf';
import type { Diagnostic } from './diagnostics';
import { ClusterLoadAssignmentSchema, ClusterSchema, envoyJson, parseStrict, type Cluster, type ClusterLoadAssignment } from './envoy';
import { SchemaMerger } from './merge';
import { screenEndpoints } from './endpoint-safety';
import type { BackendPlugin, ClusterTarget, Condition, Fragment, TranslateContext } from './plugin';
import { runHook } from './backend';

export const CORE_PLUGIN = '@backendkit/core';

export interface Composed {
  cluster?: Cluster;
  assignment?: ClusterLoadAssignment;
  diagnostics: Diagnostic[];
  conditions: Condition[];
  appProtocol?: string;
}

interface Contribution {
  plugin: string;
  fragment: Fragment;
}

/**
 * Runs the feature plugins on a target and merges every fragment into one cluster (and assignment).
 * Any error — from a plugin, a fragment that is not valid Envoy, or a merge conflict — means no cluster.
 */
export function compose(
  target: ClusterTarget,
  typePlugin: string,
  plugins: readonly BackendPlugin[],
  ctx: TranslateContext,
): Composed {
  const contributions: Contribution[] = [{ plugin: typePlugin, fragment: target.fragment }];
  for (const plugin of plugins) {
    if (!plugin.extend) continue;
    const fragment = runHook(plugin, () => plugin.extend!(target, ctx));
    if (fragment) contributions.push({ plugin: plugin.name, fragment });
  }
  return redactSensitive(mergeContributions(target, contributions, ctx), contributions);
}

function mergeContributions(target: ClusterTarget, contributions: readonly Contribution[], ctx: TranslateContext): Composed {
  const diagnostics = contributions.flatMap(({ plugin, fragment }) =>
    (fragment.diagnostics ?? []).map((d) => ({ ...d, plugin: d.plugin ?? plugin })),
  );
  const conditions = contributions.flatMap(({ fragment }) => fragment.conditions ?? []);
  const result: Composed = { diagnostics, conditions, appProtocol: target.appProtocol };
  if (diagnostics.some((d) => d.severity === 'error')) return result;

  const clusterBase: JsonObject = { name: target.clusterName };
  const cluster = mergeAll(ClusterSchema, 'cluster', clusterBase, contributions, (f) => f.cluster, diagnostics);
  const hasAssignment = contributions.some(({ fragment }) => fragment.assignment);
  const assignment = hasAssignment
    ? mergeAll(ClusterLoadAssignmentSchema, 'assignment', { clusterName: target.clusterName }, contributions, (f) => f.assignment, diagnostics)
    : undefined;
  if (!cluster || (hasAssignment && !assignment)) return result;

  if (!ctx.options.allowLocalAddresses) {
    const refused = screenEndpoints(cluster, assignment);
    diagnostics.push(...refused);
    if (refused.some((d) => d.severity === 'error')) return result;
  }

  cluster.connectTimeout ??= ctx.options.connectTimeout ?? '5s';
  const inline = cluster.loadAssignment;
  if (inline && typeof inline === 'object' && !Array.isArray(inline)) inline.clusterName = target.clusterName;

  const parsed = parseStrict(ClusterSchema, cluster);
  if (!parsed.ok) return invalidOutput(result, CORE_PLUGIN, 'cluster', parsed.error);
  result.cluster = parsed.message;
  if (assignment) {
    const parsedAssignment = parseStrict(ClusterLoadAssignmentSchema, assignment);
    if (!parsedAssignment.ok) return invalidOutput(result, CORE_PLUGIN, 'assignment', parsedAssignment.error);
    result.assignment = parsedAssignment.message;
  }
  return result;
}

function mergeAll(
  schema: DescMessage,
  root: string,
  base: JsonObject,
  contributions: readonly Contribution[],
  pick: (fragment: Fragment) => object | undefined,
  diagnostics: Diagnostic[],
): JsonObject | undefined {
  const merger = new SchemaMerger(schema, root);
  merger.add(base, CORE_PLUGIN);
  let ok = true;
  for (const { plugin, fragment } of contributions) {
    const part = pick(fragment);
    if (!part) continue;
    // Normalising first lets "5s" meet "5.000s", and blames a malformed fragment on its plugin.
    const parsed = parseStrict(schema, part as JsonObject);
    if (!parsed.ok) {
      invalidOutput({ diagnostics }, plugin, root, parsed.error);
      ok = false;
      continue;
    }
    for (const conflict of merger.add(envoyJson(schema, parsed.message), plugin)) {
      diagnostics.push({
        severity: 'error',
        code: 'merge-conflict',
        plugin: conflict.plugins[1],
        message: `plugins "${conflict.plugins[0]}" and "${conflict.plugins[1]}" disagree at ${conflict.path}: ${conflict.message}`,
      });
      ok = false;
    }
  }
  return ok ? merger.value : undefined;
}

function invalidOutput<T extends { diagnostics: Diagnostic[] }>(result: T, plugin: string, what: string, error: string): T {
  result.diagnostics.push({
    severity: 'error',
    code: 'invalid-output',
    plugin,
    message: `the ${what} is not valid Envoy configuration: ${error}`,
  });
  return result;
}

/**
 * Removes the values fragments declare sensitive (credentials) from every message about the cluster:
 * a merge conflict prints the values it compares, and those may hold a secret. The JSON-escaped form
 * is removed too, since conflict messages print values as JSON.
 */
function redactSensitive(composed: Composed, contributions: readonly Contribution[]): Composed {
  const values = contributions.flatMap(({ fragment }) => fragment.sensitiveValues ?? []).filter((v) => v !== '');
  if (values.length === 0) return composed;
  const forms = [...new Set(values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]))].sort((a, b) => b.length - a.length);
  const clean = (text: string): string => forms.reduce((out, form) => out.split(form).join('[redacted]'), text);
  composed.diagnostics = composed.diagnostics.map((d) => ({ ...d, message: clean(d.message) }));
  composed.conditions = composed.conditions.map((c) => ({ ...c, message: clean(c.message) }));
  return composed;
}
