import { SCHEMA_TABLE } from '@backendkit/xds-types/schema-table';

// The cluster side of the Envoy API as the translation checks it: messages, fields and enums read
// from the schema table `@backendkit/xds-types` generates beside its protobuf-es code, built per
// message on first use. A translation needs no protobuf-es descriptor, whose construction was most of
// the CLI's start-up (docs/performance.md, "CLI start-up"). Names follow protobuf-es's descriptors
// (`fieldKind`, `listKind`, `presence`, ...), so code reads the same against either.

/** Scalar types by their protobuf numbers (protobuf-es `ScalarType`). */
export const Scalar = {
  DOUBLE: 1,
  FLOAT: 2,
  INT64: 3,
  UINT64: 4,
  INT32: 5,
  FIXED64: 6,
  FIXED32: 7,
  BOOL: 8,
  STRING: 9,
  BYTES: 12,
  UINT32: 13,
  SFIXED32: 15,
  SFIXED64: 16,
  SINT32: 17,
  SINT64: 18,
} as const;
export type Scalar = (typeof Scalar)[keyof typeof Scalar];

/** protobuf-es `presence` values: a proto3 field without `optional` is IMPLICIT. */
export const EXPLICIT = 1;
export const IMPLICIT = 2;

export type ValueKind = 'scalar' | 'enum' | 'message';

export interface SchemaEnumValue {
  readonly name: string;
  readonly number: number;
  readonly jsonName: string;
}

export interface SchemaEnum {
  readonly kind: 'enum';
  readonly typeName: string;
  readonly values: readonly SchemaEnumValue[];
  /** The names that are their own JSON name: the spellings `toJson` prints back unchanged. */
  readonly ownNames: ReadonlySet<string>;
  /** The name of the value numbered 0, if any: what proto3 JSON leaves out of an implicit field. */
  readonly zeroName: string | undefined;
}

export interface SchemaOneof {
  readonly name: string;
  /** Its place among its message's oneofs (the strict walk keeps one bit per oneof). */
  readonly index: number;
  readonly fields: SchemaField[];
}

interface FieldBase {
  readonly name: string;
  readonly jsonName: string;
  readonly number: number;
  readonly presence: typeof EXPLICIT | typeof IMPLICIT;
  readonly oneof: SchemaOneof | undefined;
  /** The kind of value: the field's own, a list's items' or a map's values'. */
  readonly valueKind: ValueKind;
  /** The field's place in its message's `ordered`. */
  readonly slot: number;
}

type Value = { readonly scalar: Scalar } | { readonly enum: SchemaEnum } | { readonly message: SchemaMessage };

/** One field, shaped as protobuf-es's `DescField`: `fieldKind` (and `listKind`, `mapKind`) say which value applies. */
export type SchemaField = FieldBase &
  (
    | ({ readonly fieldKind: 'scalar'; readonly scalar: Scalar } & Partial<Record<'enum' | 'message', undefined>>)
    | { readonly fieldKind: 'enum'; readonly enum: SchemaEnum }
    | { readonly fieldKind: 'message'; readonly message: SchemaMessage }
    | ({ readonly fieldKind: 'list' } & (
        | { readonly listKind: 'scalar'; readonly scalar: Scalar }
        | { readonly listKind: 'enum'; readonly enum: SchemaEnum }
        | { readonly listKind: 'message'; readonly message: SchemaMessage }
      ))
    | ({ readonly fieldKind: 'map'; readonly mapKey: Scalar } & (
        | { readonly mapKind: 'scalar'; readonly scalar: Scalar }
        | { readonly mapKind: 'enum'; readonly enum: SchemaEnum }
        | { readonly mapKind: 'message'; readonly message: SchemaMessage }
      ))
  );

export interface SchemaMessage {
  readonly kind: 'message';
  readonly typeName: string;
  /** A `google.protobuf.` type: its proto3 JSON has rules of its own (a Duration is `"5s"`). */
  readonly wellKnown: boolean;
  /** Fields in declaration order, as protobuf-es lists them. */
  readonly fields: readonly SchemaField[];
  readonly oneofs: readonly SchemaOneof[];
  /** Fields in field-number order: the order `toJson` prints them in. */
  readonly ordered: readonly SchemaField[];
  /** A field by either spelling proto3 JSON accepts (`connectTimeout`, `connect_timeout`). */
  readonly byKey: ReadonlyMap<string, SchemaField>;
}

type FieldRow = [
  name: string,
  jsonName: string,
  number: number,
  card: 0 | 1 | 2,
  value: 0 | 1 | 2,
  ref: string | number,
  mapKey: number,
  implicit: 0 | 1,
  oneof: string,
];
type EnumRow = [name: string, number: number, jsonName?: string];
interface Table {
  m: Record<string, FieldRow[]>;
  e: Record<string, EnumRow[]>;
}

const VALUE_KINDS: readonly ValueKind[] = ['scalar', 'enum', 'message'];
const FIELD_KINDS = ['', 'list', 'map'] as const;

interface Schema {
  messages: Map<string, SchemaMessage>;
  enums: Map<string, SchemaEnum>;
}
let schema: Schema | undefined;

/**
 * Every message and enum of the table, built together on first use (about 1,650 fields: a few
 * milliseconds) so that fields hold their message and enum types as plain properties, which the
 * walk reads for every value of every cluster.
 */
function build(): Schema {
  const table = JSON.parse(SCHEMA_TABLE) as Table;
  const enums = new Map<string, SchemaEnum>();
  for (const [typeName, values] of Object.entries(table.e)) {
    const list = values.map(([name, number, jsonName]) => ({ name, number, jsonName: jsonName ?? name }));
    enums.set(typeName, {
      kind: 'enum',
      typeName,
      values: list,
      ownNames: new Set(list.filter((v) => v.name === v.jsonName).map((v) => v.name)),
      zeroName: list.find((v) => v.number === 0)?.name,
    });
  }
  interface Building extends SchemaMessage {
    fields: SchemaField[];
    oneofs: SchemaOneof[];
    ordered: SchemaField[];
    byKey: Map<string, SchemaField>;
  }
  const messages = new Map<string, Building>();
  for (const typeName of Object.keys(table.m)) {
    messages.set(typeName, {
      kind: 'message',
      typeName,
      wellKnown: typeName.startsWith('google.protobuf.'),
      fields: [],
      oneofs: [],
      ordered: [],
      byKey: new Map(),
    });
  }
  const resolve = (valueKind: ValueKind, ref: string | number): Value => {
    if (valueKind === 'scalar') return { scalar: ref as Scalar };
    const found = valueKind === 'enum' ? enums.get(ref as string) : messages.get(ref as string);
    if (!found) throw new Error(`schema table: no ${valueKind} ${String(ref)}`);
    return valueKind === 'enum' ? { enum: found as SchemaEnum } : { message: found as SchemaMessage };
  };
  for (const [typeName, rows] of Object.entries(table.m)) {
    const message = messages.get(typeName)!;
    const oneofs = new Map<string, SchemaOneof>();
    const order = rows.map((row) => row[2]).sort((a, b) => a - b);
    for (const [name, jsonName, number, card, value, ref, mapKey, implicit, oneofName] of rows) {
      let oneof: SchemaOneof | undefined;
      if (oneofName !== '') {
        oneof = oneofs.get(oneofName);
        if (!oneof) oneofs.set(oneofName, (oneof = { name: oneofName, index: oneofs.size, fields: [] }));
      }
      const valueKind = VALUE_KINDS[value]!;
      const fieldKind = card === 0 ? valueKind : FIELD_KINDS[card];
      const resolved = resolve(valueKind, ref) as { scalar?: Scalar; enum?: SchemaEnum; message?: SchemaMessage };
      // Every field has every key, in one order (undefined where it does not apply): one hidden class
      // for all fields, so that the walk's reads of them stay monomorphic (docs/performance.md, "The
      // translation's own work").
      const field = {
        name,
        jsonName,
        number,
        presence: implicit === 1 ? IMPLICIT : EXPLICIT,
        oneof,
        valueKind,
        slot: order.indexOf(number),
        fieldKind,
        listKind: card === 1 ? valueKind : undefined,
        mapKind: card === 2 ? valueKind : undefined,
        mapKey: card === 2 ? mapKey : undefined,
        scalar: resolved.scalar,
        enum: resolved.enum,
        message: resolved.message,
      } as SchemaField;
      oneof?.fields.push(field);
      message.fields.push(field);
      message.byKey.set(jsonName, field);
      message.byKey.set(name, field);
    }
    message.oneofs.push(...oneofs.values());
    message.ordered.push(...[...message.fields].sort((a, b) => a.number - b.number));
  }
  return { messages, enums };
}

/** A message of the cluster side by its full name (`envoy.config.cluster.v3.Cluster`). */
export function envoyMessage(typeName: string): SchemaMessage | undefined {
  return (schema ??= build()).messages.get(typeName);
}

/** An enum of the cluster side by its full name. */
export function envoyEnum(typeName: string): SchemaEnum | undefined {
  return (schema ??= build()).enums.get(typeName);
}

/** Every message type name of the cluster side. */
export function envoyMessageNames(): string[] {
  return [...(schema ??= build()).messages.keys()];
}

export const CLUSTER = 'envoy.config.cluster.v3.Cluster';
export const CLUSTER_LOAD_ASSIGNMENT = 'envoy.config.endpoint.v3.ClusterLoadAssignment';

/**
 * Whether a message of the cluster side of the Envoy API the types were generated from has a field,
 * by its proto3-JSON name: a plugin writes a field newer than that API only when it is there.
 */
export function hasEnvoyField(typeName: string, jsonName: string): boolean {
  return envoyMessage(typeName)?.fields.some((f) => f.jsonName === jsonName) ?? false;
}
