import {
  fromJson,
  toBinary,
  toJson,
  type DescMessage,
  type JsonObject,
  type JsonValue,
  type MessageJsonType,
  type MessageShape,
} from '@bufbuild/protobuf';
import { anyPack, type AnyJson } from '@bufbuild/protobuf/wkt';
import { cluster, discovery, endpoint, registry, typeUrl } from '@backendkit/xds-types';

export type Cluster = cluster.Cluster;
export type ClusterLoadAssignment = endpoint.ClusterLoadAssignment;
export const ClusterSchema: typeof cluster.ClusterSchema = cluster.ClusterSchema;
export const ClusterLoadAssignmentSchema: typeof endpoint.ClusterLoadAssignmentSchema = endpoint.ClusterLoadAssignmentSchema;

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
export function discoveryResponse<D extends DescMessage>(
  schema: D,
  messages: readonly MessageShape<D>[],
  versionInfo: string,
): Uint8Array {
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
