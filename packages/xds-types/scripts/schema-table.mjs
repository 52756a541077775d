// The cluster side of the API as a compact table of messages, fields and enums, for the strict check
// that core runs on every cluster without building protobuf-es descriptors (README, "Schema table").
// Written from the same descriptor set as the generated code, through protobuf-es's own reading of
// it, so names, JSON names, presence and kinds are exactly what `fromJson` and `toJson` use.
import { createFileRegistry, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';

/** Field cardinality and value kinds, as the table spells them (core's envoy-schema.ts reads them). */
const CARD = { singular: 0, list: 1, map: 2 };
const VALUE = { scalar: 0, enum: 1, message: 2 };

function valueOf(field) {
  switch (field.fieldKind) {
    case 'scalar':
      return [CARD.singular, VALUE.scalar, field.scalar, 0];
    case 'enum':
      return [CARD.singular, VALUE.enum, field.enum.typeName, 0];
    case 'message':
      return [CARD.singular, VALUE.message, field.message.typeName, 0];
    case 'list':
      return [CARD.list, VALUE[field.listKind], field.listKind === 'scalar' ? field.scalar : field[field.listKind].typeName, 0];
    case 'map':
      return [CARD.map, VALUE[field.mapKind], field.mapKind === 'scalar' ? field.scalar : field[field.mapKind].typeName, field.mapKey];
  }
  throw new Error(`schema table: unknown field kind ${field.fieldKind}`);
}

/**
 * `{ m: { typeName: [[name, jsonName, number, card, valueKind, valueRef, mapKey, implicit, oneof]] },
 *    e: { typeName: [[name, number, jsonName?]] } }` for every message and enum of `files` and the
 * files they import.
 */
export function schemaTable(setBytes, files) {
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, setBytes));
  const closure = new Map();
  const visit = (name) => {
    if (closure.has(name)) return;
    const file = registry.getFile(name);
    if (!file) throw new Error(`schema table: ${name} is not in the descriptor set`);
    closure.set(name, file);
    file.dependencies.forEach((dep) => visit(dep.proto.name));
  };
  files.forEach(visit);
  const messages = {};
  const enums = {};
  const addEnum = (desc) => {
    enums[desc.typeName] = desc.values.map((v) => (v.jsonName === v.name ? [v.name, v.number] : [v.name, v.number, v.jsonName]));
  };
  const addMessage = (desc) => {
    messages[desc.typeName] = desc.fields.map((f) => [f.name, f.jsonName, f.number, ...valueOf(f), f.presence === 2 ? 1 : 0, f.oneof?.name ?? '']);
    desc.nestedEnums.forEach(addEnum);
    desc.nestedMessages.forEach(addMessage);
  };
  for (const file of closure.values()) {
    file.enums.forEach(addEnum);
    file.messages.forEach(addMessage);
  }
  return { table: { m: messages, e: enums }, files: [...closure.keys()] };
}
