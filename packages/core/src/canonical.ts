import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { SchemaMessage } from './envoy-schema';
import { anyMessage, fieldByJsonKey, hasOwnJsonForm, isJsonObject } from './proto-json';
import { parseByProtobuf, printByProtobuf } from './protobuf-on-demand';
import type { StrictJson } from './strict-check';

/**
 * A fragment in canonical proto3 JSON that still holds every field its plugin wrote.
 * Plain `toJson` drops fields at their default (`lbPolicy: ROUND_ROBIN`, `false`, `0`), which would let
 * another plugin's value win silently; here values are canonical (`5.000s` → `5s`, enum numbers →
 * names) but presence follows what was written. Only the merge of overlapping fragments needs it,
 * so it goes through protobuf-es, loaded on first use (./protobuf-on-demand); the error is
 * `fromJson`'s when the fragment is not valid.
 */
export function canonicalFragment(schema: SchemaMessage, written: JsonObject): StrictJson {
  const parsed = parseByProtobuf(schema.typeName, written);
  if (!parsed.ok) return parsed;
  return { ok: true, json: keepWritten(schema, written, printByProtobuf(parsed, { alwaysEmitImplicit: true })) };
}

function keepWritten(desc: SchemaMessage, written: JsonObject, full: JsonObject): JsonObject {
  if (desc.typeName === 'google.protobuf.Any') {
    const inner = anyMessage(full['@type']);
    if (!inner || hasOwnJsonForm(inner)) return full;
    return { '@type': full['@type'] as JsonValue, ...keepWritten(inner, written, full) };
  }
  const kept: JsonObject = {};
  for (const [key, value] of Object.entries(written)) {
    const field = fieldByJsonKey(desc, key);
    if (!field || value === null) continue;
    const canonical = full[field.jsonName];
    if (canonical === undefined) continue;
    if (field.fieldKind === 'message' && !hasOwnJsonForm(field.message) && isJsonObject(value) && isJsonObject(canonical)) {
      kept[field.jsonName] = keepWritten(field.message, value, canonical);
    } else if (field.fieldKind === 'map' && field.mapKind === 'message' && !hasOwnJsonForm(field.message) && isJsonObject(value) && isJsonObject(canonical)) {
      const entries: JsonObject = {};
      for (const [mapKey, entry] of Object.entries(canonical)) {
        const source = value[mapKey];
        entries[mapKey] = isJsonObject(source) && isJsonObject(entry) ? keepWritten(field.message, source, entry) : entry;
      }
      kept[field.jsonName] = entries;
    } else {
      kept[field.jsonName] = canonical;
    }
  }
  return kept;
}
