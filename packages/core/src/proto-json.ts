import type { DescField, DescMessage, JsonObject, JsonValue } from '@bufbuild/protobuf';
import { clusterRegistry as registry } from '@backendkit/xds-types/clusters';

// Helpers for walking proto3 JSON alongside its schema, shared by the merge and its normalisation.

const fieldMaps = new WeakMap<DescMessage, Map<string, DescField>>();

/** A message's field by either spelling proto3 JSON accepts (`connectTimeout`, `connect_timeout`). */
export function fieldByJsonKey(schema: DescMessage, key: string): DescField | undefined {
  let fields = fieldMaps.get(schema);
  if (!fields) {
    fields = new Map();
    for (const field of schema.fields) {
      fields.set(field.jsonName, field);
      fields.set(field.name, field);
    }
    fieldMaps.set(schema, fields);
  }
  return fields.get(key);
}

/** Well-known types whose proto3 JSON is not an object of their fields (`"5s"`, `3`, Struct). */
export function hasOwnJsonForm(desc: DescMessage): boolean {
  return desc.typeName.startsWith('google.protobuf.') && desc.typeName !== 'google.protobuf.Any' && desc.typeName !== 'google.protobuf.Empty';
}

/** The message an `Any`'s `@type` names, when the registry knows it. */
export function anyMessage(typeUrl: JsonValue | undefined): DescMessage | undefined {
  const url = String(typeUrl ?? '');
  return registry.getMessage(url.slice(url.lastIndexOf('/') + 1));
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
