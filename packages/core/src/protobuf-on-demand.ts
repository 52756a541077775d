import type { DescMessage, JsonObject, JsonValue, Message, Registry } from '@bufbuild/protobuf';
import type * as Protobuf from '@bufbuild/protobuf';
import type * as ClusterTypes from '@backendkit/xds-types/clusters';
import { requireHere } from './lazy-require';

// protobuf-es and the generated cluster-side descriptors, loaded on first use: for JSON the strict walk
// cannot vouch for (bytes, Timestamps, numbers written as strings, an error to word) and for the merge
// of overlapping fragments. A translation of the usual kinds never gets here, so it never builds a
// descriptor (docs/performance.md, "CLI start-up").

interface Loaded {
  protobuf: typeof Protobuf;
  registry: Registry;
}
let loaded: Loaded | undefined;

function load(): Loaded {
  if (!loaded) {
    const protobuf = requireHere('@bufbuild/protobuf') as typeof Protobuf;
    const types = requireHere('@backendkit/xds-types/clusters') as typeof ClusterTypes;
    loaded = { protobuf, registry: types.clusterRegistry };
  }
  return loaded;
}

export type Parsed = { ok: true; schema: DescMessage; message: Message } | { ok: false; error: string };

/** `fromJson` against the cluster side, rejecting unknown fields (also inside `Any`) and bad enum values. */
export function parseByProtobuf(typeName: string, json: JsonValue): Parsed {
  const { protobuf, registry } = load();
  const schema = registry.getMessage(typeName);
  if (!schema) return { ok: false, error: `${typeName} is not a message of the cluster side of the Envoy API` };
  try {
    return { ok: true, schema, message: protobuf.fromJson(schema, json, { registry, ignoreUnknownFields: false }) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** `toJson` of a parsed message, `Any` values printed as objects with `@type`. */
export function printByProtobuf(parsed: { schema: DescMessage; message: Message }, options: { alwaysEmitImplicit?: boolean } = {}): JsonObject {
  const { protobuf, registry } = load();
  return protobuf.toJson(parsed.schema, parsed.message, { registry, ...options }) as JsonObject;
}
