import { fromJson, toBinary, type DescMessage, type JsonObject, type JsonValue, type MessageShape } from '@bufbuild/protobuf';
import { anyPack, type Any } from '@bufbuild/protobuf/wkt';
import { discovery, registry, typeUrl } from '@backendkit/xds-types';
import * as clusterSide from './cluster-messages';
import {
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  type Cluster,
  type ClusterLoadAssignment,
  type EnvoyAssignment,
  type EnvoyCluster,
  type StrictJson,
  type StrictParse,
} from './cluster-messages';

// @backendkit/core/envoy: Envoy message helpers for any message of the API, with the registry of
// every generated file (a `Bootstrap` holding listeners, a `Listener` holding filters). The
// translation itself checks against the cluster side only (./cluster-messages).

export { anyJson, ClusterLoadAssignmentSchema, ClusterSchema } from './cluster-messages';
export type { Cluster, ClusterLoadAssignment, EnvoyAssignment, EnvoyCluster, StrictJson, StrictParse } from './cluster-messages';

/**
 * The strict check of `parseStrict`, giving canonical proto3 JSON instead of a message: a schema
 * walk that builds no message answers the usual case; what it cannot vouch for goes through
 * `fromJson` and `toJson` (which also word the error).
 */
export function checkStrict(schema: DescMessage, json: JsonValue): StrictJson {
  return clusterSide.checkStrict(schema, json, registry);
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

/**
 * Parses proto3 JSON with the generated schema, rejecting unknown fields (also inside `Any`) and
 * bad enum values — the check every message leaving backendkit passes.
 */
export function parseStrict<D extends DescMessage>(schema: D, json: JsonValue): StrictParse<D> {
  return clusterSide.parseStrict(schema, json, registry);
}

/** Envoy's proto3 JSON for a message, with `Any` values printed as objects with `@type`. */
export function envoyJson<D extends DescMessage>(schema: D, message: MessageShape<D>): JsonObject {
  return clusterSide.envoyJson(schema, message, registry);
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
