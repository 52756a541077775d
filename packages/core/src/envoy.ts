import { fromJson, toBinary, toJson, type DescMessage, type JsonObject, type JsonValue, type MessageJsonType, type MessageShape } from '@bufbuild/protobuf';
import { anyPack, type Any, type AnyJson } from '@bufbuild/protobuf/wkt';
import { cluster, discovery, endpoint, registry, typeUrl } from '@backendkit/xds-types';
import { strictJson } from './strict-json';

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

/**
 * The strict check of `parseStrict`, giving canonical proto3 JSON instead of a message: a schema
 * walk that builds no message answers the usual case; what it cannot vouch for goes through
 * `fromJson` and `toJson` (which also word the error).
 */
export function checkStrict(schema: DescMessage, json: JsonValue): StrictJson {
  const walked = strictJson(schema, json);
  if (walked) return { ok: true, json: walked };
  const parsed = parseStrict(schema, json);
  return parsed.ok ? { ok: true, json: envoyJson(schema, parsed.message) } : parsed;
}

const messages = new WeakMap<object, object>();
const packed = new WeakMap<object, Any>();

/** The protobuf-es message of a result's cluster, built on first use and kept as long as the JSON is. */
export function clusterMessage(json: EnvoyCluster): Cluster {
  return messageOf(ClusterSchema, json);
}

/** The protobuf-es message of a result's assignment, as `clusterMessage`. */
export function assignmentMessage(json: EnvoyAssignment): ClusterLoadAssignment {
  return messageOf(ClusterLoadAssignmentSchema, json);
}

/** A result's cluster or assignment as the binary `Any` an xDS server sends, packed once per object. */
export function packedAny(json: EnvoyCluster | EnvoyAssignment): Any {
  let any = packed.get(json);
  if (any === undefined) {
    any =
      'clusterName' in json && !('name' in json)
        ? anyPack(ClusterLoadAssignmentSchema, assignmentMessage(json))
        : anyPack(ClusterSchema, clusterMessage(json as EnvoyCluster));
    packed.set(json, any);
  }
  return any;
}

function messageOf<D extends DescMessage>(schema: D, json: object): MessageShape<D> {
  let message = messages.get(json) as MessageShape<D> | undefined;
  if (!message) {
    message = fromJson(schema, json as JsonValue, { registry, ignoreUnknownFields: false });
    messages.set(json, message);
  }
  return message;
}

export type StrictParse<D extends DescMessage> = { ok: true; message: MessageShape<D> } | { ok: false; error: string };

/**
 * Parses proto3 JSON with the generated schema, rejecting unknown fields (also inside `Any`) and
 * bad enum values — the check every message leaving backendkit passes.
 */
export function parseStrict<D extends DescMessage>(schema: D, json: JsonValue): StrictParse<D> {
  try {
    return { ok: true, message: fromJson(schema, json, { registry, ignoreUnknownFields: false }) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Envoy's proto3 JSON for a message, with `Any` values printed as objects with `@type`. */
export function envoyJson<D extends DescMessage>(schema: D, message: MessageShape<D>): JsonObject {
  return toJson(schema, message, { registry }) as JsonObject;
}

/** The message as an xDS server sends it: a binary `google.protobuf.Any`. */
export function packAny<D extends DescMessage>(schema: D, message: MessageShape<D>) {
  return anyPack(schema, message);
}

/** A `DiscoveryResponse` for a set of clusters or assignments, ready for an xDS stream. */
export function discoveryResponse<D extends DescMessage>(schema: D, messages: readonly MessageShape<D>[], versionInfo: string): Uint8Array {
  const response = fromJson(discovery.DiscoveryResponseSchema, { versionInfo, typeUrl: typeUrl(schema) }, { registry });
  response.resources = messages.map((m) => anyPack(schema, m));
  return toBinary(discovery.DiscoveryResponseSchema, response);
}

/**
 * An `Any` in proto3 JSON, typed by its message: `anyJson(upstreamHttp.HttpProtocolOptionsSchema, {...})`
 * gives `{"@type": "type.googleapis.com/…", ...fields}` with the fields checked against the schema.
 */
export function anyJson<D extends DescMessage>(schema: D, fields: MessageJsonType<D>): AnyJson {
  return { '@type': typeUrl(schema), ...(fields as object) } as AnyJson;
}
