import type { DescMessage, MessageJsonType } from '@bufbuild/protobuf';
import type { AnyJson } from '@bufbuild/protobuf/wkt';

/**
 * An `Any` in proto3 JSON, typed by its message: `anyJson(upstreamHttp.HttpProtocolOptionsSchema, {...})`
 * gives `{"@type": "type.googleapis.com/…", ...fields}` with the fields checked against the schema.
 * Only the schema's name is read, so this costs nothing at run time beyond the caller's import.
 */
export function anyJson<D extends DescMessage>(schema: D, fields: MessageJsonType<D>): AnyJson {
  return { '@type': `type.googleapis.com/${schema.typeName}`, ...(fields as object) } as AnyJson;
}
