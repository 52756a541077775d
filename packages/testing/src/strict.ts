import { fromBinary, toBinary, type DescMessage, type JsonObject } from '@bufbuild/protobuf';
import { jsonEqual } from '@backendkit/core/helpers';
import { ClusterLoadAssignmentSchema, ClusterSchema, envoyJson, parseStrict } from '@backendkit/core/envoy';
import { fail } from './fail';

export interface EnvoyOutput {
  clusters?: readonly JsonObject[];
  assignments?: readonly JsonObject[];
}

/**
 * Checks Envoy proto3 JSON the way Envoy would take it: every message parses with the generated
 * schema with unknown fields rejected (also inside `Any`), prints back to the same JSON, and
 * survives a binary round trip. Returns the problems found; empty means all is well.
 */
export function checkEnvoyOutput(output: EnvoyOutput): string[] {
  return [
    ...(output.clusters ?? []).flatMap((json, i) => checkMessage(ClusterSchema, json, where('clusters', i, json.name))),
    ...(output.assignments ?? []).flatMap((json, i) => checkMessage(ClusterLoadAssignmentSchema, json, where('assignments', i, json.clusterName))),
  ];
}

/** Throws with every problem `checkEnvoyOutput` finds. */
export function assertStrictEnvoy(output: EnvoyOutput): void {
  const problems = checkEnvoyOutput(output);
  if (problems.length > 0) fail(`output is not strict Envoy configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

export function checkMessage(schema: DescMessage, json: JsonObject, where: string): string[] {
  const parsed = parseStrict(schema, json);
  if (!parsed.ok) return [`${where}: ${parsed.error}${locate(json, parsed.error)}`];
  const problems: string[] = [];
  const printed = envoyJson(schema, parsed.message);
  if (!jsonEqual(printed, json)) problems.push(`${where}: does not print back to the same JSON: ${firstDifference(json, printed)}`);
  const decoded = envoyJson(schema, fromBinary(schema, toBinary(schema, parsed.message)));
  // A message that does not even print back would repeat the same difference here.
  if (problems.length === 0 && !jsonEqual(decoded, json)) problems.push(`${where}: changes in a binary round trip: ${firstDifference(json, decoded)}`);
  return problems;
}

// `clusters[0] (backend_default_web_0)`: the index finds it, the name tells which one it is.
function where(section: string, index: number, name: unknown): string {
  return typeof name === 'string' && name !== '' ? `${section}[${index}] (${name})` : `${section}[${index}]`;
}

/** Where two JSON values first part: `at connectTimeout: "5.000s" became "5s"`. */
function firstDifference(before: unknown, after: unknown, path = ''): string {
  const at = path || '(root)';
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) {
      const child = Array.isArray(before) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!(key in after)) return `at ${child}: ${JSON.stringify(before[key])} was dropped`;
      if (!(key in before)) return `at ${child}: ${JSON.stringify(after[key])} was added`;
      if (!jsonEqual(before[key] as never, after[key] as never)) return firstDifference(before[key], after[key], child);
    }
  }
  return `at ${at}: ${JSON.stringify(before)} became ${JSON.stringify(after)}`;
}

/**
 * The parser names the offending key or value but not where it sits; find it in the input so the
 * message points at `transportSocket.typedConfig.snii` rather than only at a message type.
 */
function locate(json: unknown, error: string): string {
  const key = /key "([^"]+)" is unknown/.exec(error)?.[1];
  const value = /from JSON: ("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false)$/.exec(error)?.[1];
  const typeName = /cannot decode message (\S+) from JSON/.exec(error)?.[1];
  let hits: Hit[] = [];
  if (key !== undefined) hits = findAll(json, (k) => k === key);
  else if (value !== undefined) hits = findAll(json, (_, v) => JSON.stringify(v) === value);
  // The same key may sit in several messages: prefer the one inside an `Any` of the type that failed.
  const typed = hits.filter((h) => typeName !== undefined && h.parentType === `type.googleapis.com/${typeName}`);
  const best = typed.length > 0 ? typed : hits;
  return best.length > 0 ? ` (at ${best.map((h) => h.path).join(' or ')})` : '';
}

interface Hit {
  path: string;
  parentType?: unknown;
}

function findAll(json: unknown, hit: (key: string, value: unknown) => boolean, path = ''): Hit[] {
  if (typeof json !== 'object' || json === null) return [];
  const found: Hit[] = [];
  for (const [key, value] of Object.entries(json)) {
    const child = Array.isArray(json) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (hit(key, value)) found.push({ path: child, parentType: (json as Record<string, unknown>)['@type'] });
    found.push(...findAll(value, hit, child));
  }
  return found;
}
