import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { SchemaMessage } from './envoy-schema';
import { parseByProtobuf, printByProtobuf } from './protobuf-on-demand';
import { strictJson } from './strict-json';

export type StrictJson = { ok: true; json: JsonObject } | { ok: false; error: string };

/**
 * The strict check every composed cluster and assignment passes, giving canonical proto3 JSON: the
 * schema walk (./strict-json) answers the usual case without building a message; what it cannot
 * vouch for goes through protobuf-es `fromJson` and `toJson`, which also word the error
 * (docs/performance.md, "Clusters stay JSON").
 */
export function checkStrict(schema: SchemaMessage, json: JsonValue): StrictJson {
  const walked = strictJson(schema, json);
  if (walked) return { ok: true, json: walked };
  const parsed = parseByProtobuf(schema.typeName, json);
  return parsed.ok ? { ok: true, json: printByProtobuf(parsed) } : parsed;
}
