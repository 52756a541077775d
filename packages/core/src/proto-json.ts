import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { envoyMessage, type SchemaField, type SchemaMessage } from './envoy-schema';

// Helpers for walking proto3 JSON alongside its schema (the cluster side's schema table,
// ./envoy-schema), shared by the strict walk, the merge and its normalisation.

/** A message's field by either spelling proto3 JSON accepts (`connectTimeout`, `connect_timeout`). */
export function fieldByJsonKey(schema: SchemaMessage, key: string): SchemaField | undefined {
  return schema.byKey.get(key);
}

/** Well-known types whose proto3 JSON is not an object of their fields (`"5s"`, `3`, Struct). */
export function hasOwnJsonForm(desc: { readonly typeName: string }): boolean {
  return desc.typeName.startsWith('google.protobuf.') && desc.typeName !== 'google.protobuf.Any' && desc.typeName !== 'google.protobuf.Empty';
}

/** The message an `Any`'s `@type` names, when the cluster side has it. */
export function anyMessage(typeUrl: JsonValue | undefined): SchemaMessage | undefined {
  const url = String(typeUrl ?? '');
  return envoyMessage(url.slice(url.lastIndexOf('/') + 1));
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
