import {
  fromJson,
  toJson,
  type DescMessage,
  type JsonObject,
  type JsonValue,
  type MessageJsonType,
  type MessageShape,
  type Registry,
} from '@bufbuild/protobuf';
import type { AnyJson } from '@bufbuild/protobuf/wkt';
import { cluster, clusterRegistry, endpoint, typeUrl } from '@backendkit/xds-types/clusters';
import { strictJson } from './strict-json';

// The strict check as the translation runs it: against the cluster side of the Envoy API only, so a
// translation does not load the listener, bootstrap and discovery files (docs/performance.md, "CLI
// start-up"). `@backendkit/core/envoy` gives the same functions with every file's registry.

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

export type StrictJson = { ok: true; json: JsonObject } | { ok: false; error: string };

export type StrictParse<D extends DescMessage> = { ok: true; message: MessageShape<D> } | { ok: false; error: string };

/**
 * The strict check of `parseStrict`, giving canonical proto3 JSON instead of a message: a schema
 * walk that builds no message answers the usual case; what it cannot vouch for (an `Any` of a type
 * outside the cluster side among it) goes through `fromJson` and `toJson` with `registry`.
 */
export function checkStrict(schema: DescMessage, json: JsonValue, registry: Registry = clusterRegistry): StrictJson {
  const walked = strictJson(schema, json);
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

/**
 * An `Any` in proto3 JSON, typed by its message: `anyJson(upstreamHttp.HttpProtocolOptionsSchema, {...})`
 * gives `{"@type": "type.googleapis.com/…", ...fields}` with the fields checked against the schema.
 */
export function anyJson<D extends DescMessage>(schema: D, fields: MessageJsonType<D>): AnyJson {
  return { '@type': typeUrl(schema), ...(fields as object) } as AnyJson;
}
