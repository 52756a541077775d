import { fromBinary, toBinary, type DescMessage, type JsonObject } from '@bufbuild/protobuf';
import { ClusterLoadAssignmentSchema, ClusterSchema, envoyJson, jsonEqual, parseStrict } from '@backendkit/core';

export interface EnvoyOutput {
  clusters?: readonly JsonObject[];
  endpoints?: readonly JsonObject[];
}

/**
 * Checks Envoy proto3 JSON the way Envoy would take it: every message parses with the generated
 * schema with unknown fields rejected (also inside `Any`), prints back to the same JSON, and
 * survives a binary round trip. Returns the problems found; empty means all is well.
 */
export function checkEnvoyOutput(output: EnvoyOutput): string[] {
  return [
    ...(output.clusters ?? []).flatMap((json, i) => checkMessage(ClusterSchema, json, `clusters[${i}]`)),
    ...(output.endpoints ?? []).flatMap((json, i) => checkMessage(ClusterLoadAssignmentSchema, json, `endpoints[${i}]`)),
  ];
}

/** Throws with every problem `checkEnvoyOutput` finds. */
export function assertStrictEnvoy(output: EnvoyOutput): void {
  const problems = checkEnvoyOutput(output);
  if (problems.length > 0) throw new Error(`output is not strict Envoy configuration:\n${problems.join('\n')}`);
}

export function checkMessage(schema: DescMessage, json: JsonObject, where: string): string[] {
  const parsed = parseStrict(schema, json);
  if (!parsed.ok) return [`${where}: ${parsed.error}`];
  const problems: string[] = [];
  if (!jsonEqual(envoyJson(schema, parsed.message), json)) problems.push(`${where}: does not print back to the same JSON`);
  const decoded = fromBinary(schema, toBinary(schema, parsed.message));
  if (!jsonEqual(envoyJson(schema, decoded), json)) problems.push(`${where}: changes in a binary round trip`);
  return problems;
}
