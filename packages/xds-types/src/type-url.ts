import type { DescMessage } from '@bufbuild/protobuf';

/** The `@type` URL Envoy expects for a message. */
export function typeUrl(schema: DescMessage): string {
  return `type.googleapis.com/${schema.typeName}`;
}
