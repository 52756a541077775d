import type { JsonObject } from '@bufbuild/protobuf';
import type { Diagnostic } from './diagnostics';
import type { EnvoyAssignment, EnvoyCluster } from './cluster-messages';
import { canonicalFragment } from './canonical';
import { CLUSTER, CLUSTER_LOAD_ASSIGNMENT, envoyMessage, type SchemaMessage } from './envoy-schema';
import { checkStrict } from './strict-check';
import { SchemaMerger } from './merge';
import { fieldByJsonKey, isJsonObject } from './proto-json';
import { redact } from './redact';
import { endpointsServed, screenEndpoints } from './endpoint-safety';
import type { BackendPlugin, ClusterTarget, Condition, Fragment, TranslateContext } from './plugin';
import { pluginFailed } from './backend';
import { CORE_PLUGIN } from './names';
import { applyOverrides } from './overrides';

const ClusterSchema: SchemaMessage = envoyMessage(CLUSTER)!;
const ClusterLoadAssignmentSchema: SchemaMessage = envoyMessage(CLUSTER_LOAD_ASSIGNMENT)!;

export interface Composed {
  cluster?: EnvoyCluster;
  assignment?: EnvoyAssignment;
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
export function compose(target: ClusterTarget, typePlugin: string, plugins: readonly BackendPlugin[], ctx: TranslateContext): Composed {
  const contributions: Contribution[] = [{ plugin: typePlugin, fragment: target.fragment }];
  for (const plugin of plugins) {
    if (!plugin.extend) continue;
    let fragment: Fragment | undefined;
    try {
      fragment = plugin.extend(target, ctx);
    } catch (error) {
      fragment = { diagnostics: [pluginFailed(plugin, error)] };
    }
    if (fragment) contributions.push({ plugin: plugin.name, fragment });
  }
  return redactSensitive(mergeContributions(target, contributions, ctx), contributions);
}

function mergeContributions(target: ClusterTarget, contributions: readonly Contribution[], ctx: TranslateContext): Composed {
  // Loops rather than `flatMap`: most fragments have no diagnostics and no conditions.
  const diagnostics: Diagnostic[] = [];
  const conditions: Condition[] = [];
  // One pass, indexed (no iterator while the code is cold): most fragments have no diagnostics, no
  // conditions and no overrides.
  let errors = false;
  let overrides = false;
  for (let i = 0; i < contributions.length; i++) {
    const { plugin, fragment } = contributions[i]!;
    if (fragment.diagnostics) {
      for (const d of fragment.diagnostics) {
        diagnostics.push({ ...d, plugin: d.plugin ?? plugin });
        if (d.severity === 'error') errors = true;
      }
    }
    const own = fragment.conditions;
    // As `flatMap` did: a list's items, or the value itself.
    if (Array.isArray(own)) for (const c of own) conditions.push(c);
    else if (own != null) conditions.push(own);
    if (fragment.overrides) overrides = true;
  }
  const result: Composed = { diagnostics, conditions, appProtocol: target.appProtocol };
  if (errors) return result;
  // Fields feature plugins take over leave the type plugin's fragment first (docs/plugins.md).
  const merged = overrides ? applyOverrides(contributions, diagnostics) : contributions;
  if (overrides && diagnostics.some((d) => d.severity === 'error')) return result;

  const composed = composeSingle(target, merged, ctx) ?? composeMerged(target, merged, ctx, result);
  if (!composed) return result;
  // Nearly every cluster has no refused endpoint: the plugins' origins are listed only for one that has.
  if (!ctx.options.allowLocalAddresses && !endpointsServed(composed.cluster, composed.assignment)) {
    const refused = screenEndpoints(
      composed.cluster,
      composed.assignment,
      contributions.map((c) => c.fragment.origins),
    );
    if (refused.length > 0) {
      for (const d of refused) diagnostics.push(d);
      if (refused.some((d) => d.severity === 'error')) return result;
    }
  }
  result.cluster = composed.cluster;
  if (composed.assignment) result.assignment = composed.assignment;
  return result;
}

/** Canonical proto3 JSON that passed the strict check (`checkStrict`). */
interface Messages {
  cluster: EnvoyCluster;
  assignment?: EnvoyAssignment;
}

/**
 * The general case: fragments normalised through the schema (so "5s" meets "5.000s", and a malformed
 * fragment is blamed on its plugin), merged, then parsed again as a whole.
 */
function composeMerged(target: ClusterTarget, contributions: readonly Contribution[], ctx: TranslateContext, result: Composed): Messages | undefined {
  const { diagnostics } = result;
  const clusterBase: JsonObject = { name: target.clusterName };
  const cluster = mergeAll(ClusterSchema, 'cluster', clusterBase, contributions, (f) => f.cluster, diagnostics);
  const hasAssignment = contributions.some(({ fragment }) => fragment.assignment);
  const assignment = hasAssignment
    ? mergeAll(ClusterLoadAssignmentSchema, 'assignment', { clusterName: target.clusterName }, contributions, (f) => f.assignment, diagnostics)
    : undefined;
  if (!cluster || (hasAssignment && !assignment)) return undefined;

  cluster.connectTimeout ??= ctx.options.connectTimeout ?? '5s';
  const inline = cluster.loadAssignment;
  if (inline && typeof inline === 'object' && !Array.isArray(inline)) inline.clusterName = target.clusterName;

  const checked = checkStrict(ClusterSchema, cluster);
  if (!checked.ok) return void invalidOutput(result, CORE_PLUGIN, 'cluster', checked.error);
  if (!assignment) return { cluster: checked.json as EnvoyCluster };
  const checkedAssignment = checkStrict(ClusterLoadAssignmentSchema, assignment);
  if (!checkedAssignment.ok) return void invalidOutput(result, CORE_PLUGIN, 'assignment', checkedAssignment.error);
  return { cluster: checked.json as EnvoyCluster, assignment: checkedAssignment.json as EnvoyAssignment };
}

/**
 * The common case: the fragments set different fields (one plugin builds the cluster, a feature
 * plugin adds a field of its own), so there is nothing to merge. The fragments are joined as they
 * are with core's fields, and the whole is checked once: the same result as `composeMerged`
 * without its normalising round trips, which are most of the cost of a translation. Undefined
 * whenever the general path could say something this one would not (two fragments on one field or
 * one oneof, a fragment that is not valid Envoy, a fragment naming the cluster, an unusable default
 * timeout): it then runs and says it.
 */
function composeSingle(target: ClusterTarget, contributions: readonly Contribution[], ctx: TranslateContext): Messages | undefined {
  const clusterPart = disjointUnion(ClusterSchema, contributions, 'cluster', 'name');
  if (!clusterPart) return undefined;
  // Core's fields come first in the literals: V8 copies `{ ...part, name }`, or a copy it then adds
  // to, through a slow path (about 0.7 µs a field added), `{ name, ...part }` not. The fragment has
  // no `name` (disjointUnion), and the walk prints fields in field-number order whatever the order
  // here (docs/performance.md, "The translation's own work").
  const timeoutSet = Object.hasOwn(clusterPart, 'connectTimeout') || Object.hasOwn(clusterPart, 'connect_timeout');
  const joined: JsonObject = timeoutSet
    ? { name: target.clusterName, ...clusterPart }
    : { name: target.clusterName, connectTimeout: ctx.options.connectTimeout ?? '5s', ...clusterPart };
  // A timeout set to null (in either spelling) also gets the default.
  if (timeoutSet && joined.connectTimeout == null && joined.connect_timeout == null) {
    delete joined.connect_timeout;
    joined.connectTimeout = ctx.options.connectTimeout ?? '5s';
  }
  const inline = joined.loadAssignment ?? joined.load_assignment;
  if (isJsonObject(inline)) {
    const key = joined.loadAssignment !== undefined ? 'loadAssignment' : 'load_assignment';
    if (Object.hasOwn(inline, 'cluster_name') || Object.hasOwn(inline, 'clusterName')) {
      // The fragment names the cluster itself: core's name replaces it.
      const { cluster_name: _named, ...rest } = inline;
      joined[key] = { ...rest, clusterName: target.clusterName };
    } else {
      joined[key] = { clusterName: target.clusterName, ...inline };
    }
  }
  const checked = checkStrict(ClusterSchema, joined);
  if (!checked.ok) return undefined;
  const cluster = checked.json as EnvoyCluster;
  let assignments = false;
  for (let i = 0; i < contributions.length; i++) if (contributions[i]!.fragment.assignment) assignments = true;
  if (!assignments) return { cluster };
  const assignmentPart = disjointUnion(ClusterLoadAssignmentSchema, contributions, 'assignment', 'cluster_name');
  if (!assignmentPart) return undefined;
  // Core's field first, as above; the part has no cluster name of its own (disjointUnion).
  const checkedAssignment = checkStrict(ClusterLoadAssignmentSchema, { clusterName: target.clusterName, ...assignmentPart });
  if (!checkedAssignment.ok) return undefined;
  return { cluster, assignment: checkedAssignment.json as EnvoyAssignment };
}

/**
 * The fragments' fields in one object when no two set the same field or members of one oneof, and
 * none sets core's own field (`name`, `cluster_name`: the general path says how that one fares).
 */
function disjointUnion(
  schema: SchemaMessage,
  contributions: readonly Contribution[],
  part: 'cluster' | 'assignment',
  coreField: string,
): JsonObject | undefined {
  let only: JsonObject | undefined;
  let count = 0;
  for (const { fragment } of contributions) {
    const value = fragment[part] as JsonObject | undefined;
    if (value === undefined) continue;
    only = value;
    count++;
  }
  if (count === 0) return undefined;
  // One part: its keys are distinct, so two can meet only through a second spelling or a oneof;
  // without a second spelling, one bit per oneof does instead of a set of taken fields.
  if (count === 1 && plainKeys(schema, only!, coreField)) return only;
  const taken = new Set<unknown>();
  const present: JsonObject[] = [];
  for (const { fragment } of contributions) {
    const value = fragment[part] as JsonObject | undefined;
    if (value === undefined) continue;
    present.push(value);
    for (const key of Object.keys(value)) {
      const field = fieldByJsonKey(schema, key);
      if (!field || field.name === coreField) return undefined;
      const slot = field.oneof ?? field;
      if (taken.has(slot)) return undefined;
      taken.add(slot);
    }
  }
  return present.length === 1 ? present[0] : (Object.assign({}, ...present) as JsonObject);
}

/**
 * Whether every key names a field in its JSON spelling, none is core's own and no two are members of
 * one oneof (of the first 31; past them, the set of the general case decides).
 */
function plainKeys(schema: SchemaMessage, part: JsonObject, coreField: string): boolean {
  let oneofs = 0;
  for (const key of Object.keys(part)) {
    const field = fieldByJsonKey(schema, key);
    if (!field || field.jsonName !== key || field.name === coreField) return false;
    const oneof = field.oneof;
    if (oneof) {
      if (oneof.index >= 31 || oneofs & (1 << oneof.index)) return false;
      oneofs |= 1 << oneof.index;
    }
  }
  return true;
}

function mergeAll(
  schema: SchemaMessage,
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
    // Normalising first lets "5s" meet "5.000s", and blames a malformed fragment on its plugin;
    // fields written at their default stay, so they can conflict too.
    const canonical = canonicalFragment(schema, part as JsonObject);
    if (!canonical.ok) {
      invalidOutput({ diagnostics }, plugin, root, canonical.error);
      ok = false;
      continue;
    }
    for (const conflict of merger.add(canonical.json, plugin)) {
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
 * a merge conflict prints the values it compares, and those may hold a secret.
 */
function redactSensitive(composed: Composed, contributions: readonly Contribution[]): Composed {
  // Most clusters have none: no list is made for them.
  let sensitive = false;
  for (let i = 0; i < contributions.length; i++) {
    const values = contributions[i]!.fragment.sensitiveValues;
    if (values && values.length > 0) sensitive = true;
  }
  if (!sensitive) return composed;
  const values = contributions.flatMap(({ fragment }) => fragment.sensitiveValues ?? []);
  const clean = (text: string): string => redact(text, values);
  composed.diagnostics = composed.diagnostics.map((d) => ({ ...d, message: clean(d.message) }));
  composed.conditions = composed.conditions.map((c) => ({ ...c, message: clean(c.message) }));
  return composed;
}
