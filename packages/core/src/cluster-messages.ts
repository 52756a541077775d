import { fromJson, toJson, type DescMessage, type JsonObject, type JsonValue, type MessageShape, type Registry } from '@bufbuild/protobuf';
import { cluster, clusterRegistry, endpoint } from '@backendkit/xds-types/clusters';
import { envoyMessage } from './envoy-schema';
import type { StrictJson } from './strict-check';
import { strictJson } from './strict-json';

// The protobuf-es side of the strict check, for `@backendkit/core/envoy` (which gives these functions
// with every file's registry). The translation itself checks against the schema table and loads
// protobuf-es only when it must (./strict-check, docs/performance.md "CLI start-up"); the types of
// the result are declared here.

export type Cluster = cluster.Cluster;
export type ClusterLoadAssignment = endpoint.ClusterLoadAssignment;
export const ClusterSchema: typeof cluster.ClusterSchema = cluster.ClusterSchema;
export const ClusterLoadAssignmentSchema: typeof endpoint.ClusterLoadAssignmentSchema = endpoint.ClusterLoadAssignmentSchema;

/**
 * A composed cluster as a `TranslationResult` holds it: canonical proto3 JSON — exactly what
 * protobuf-es `toJson` prints for the message — that passed the strict check (docs/performance.md,
 * "Clusters stay JSON"). `clusterMessage` gives the protobuf-es message when one is needed.
 */
export type EnvoyCluster = cluster.ClusterJson & { name: string };
/** A composed `ClusterLoadAssignment`, as `EnvoyCluster` is a `Cluster`. */
export type EnvoyAssignment = endpoint.ClusterLoadAssignmentJson & { clusterName: string };

export type { StrictJson } from './strict-check';

export type StrictParse<D extends DescMessage> = { ok: true; message: MessageShape<D> } | { ok: false; error: string };

/**
 * The strict check of `parseStrict`, giving canonical proto3 JSON instead of a message: a schema
 * walk that builds no message answers the usual case; what it cannot vouch for (an `Any` of a type
 * outside the cluster side among it) goes through `fromJson` and `toJson` with `registry`.
 */
export function checkStrict(schema: DescMessage, json: JsonValue, registry: Registry = clusterRegistry): StrictJson {
  const table = envoyMessage(schema.typeName);
  const walked = table && strictJson(table, json);
  if (walked) return { ok: true, json: walked };
  const parsed = parseStrict(schema, json, registry);
  return parsed.ok ? { ok: true, json: envoyJson(schema, parsed.message, registry) } : parsed;
}

/**
 * Parses proto3 JSON with the generated schema, rejecting unknown fields (also inside `Any`, whose
 * type must be in `registry`) and bad enum values — the check every message leaving backendkit passes.
 */
export function parseStrict<D extends DescMessage>(schema: D, json: JsonValue, registry: Registry = clusterRegistry): StrictParse<D> {
  try {
    return { ok: true, message: fromJson(schema, json, { registry, ignoreUnknownFields: false }) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Envoy's proto3 JSON for a message, with `Any` values printed as objects with `@type`. */
export function envoyJson<D extends DescMessage>(schema: D, message: MessageShape<D>, registry: Registry = clusterRegistry): JsonObject {
  return toJson(schema, message, { registry }) as JsonObject;
}

export { anyJson } from './any-json';
