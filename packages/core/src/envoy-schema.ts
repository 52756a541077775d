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
}

export interface SchemaOneof {
  readonly name: string;
  readonly fields: SchemaField[];
}

/** One field: `fieldKind` says which of `scalar`, `enum`, `message` (and `listKind`, `mapKind`) apply. */
export class SchemaField {
  constructor(
    readonly name: string,
    readonly jsonName: string,
    readonly number: number,
    readonly fieldKind: 'scalar' | 'enum' | 'message' | 'list' | 'map',
    /** The kind of value: the field's own, a list's items' or a map's values'. */
    readonly valueKind: ValueKind,
    private readonly ref: string | number,
    /** A map's key type (always a scalar); 0 for other fields. */
    readonly mapKey: number,
    readonly presence: typeof EXPLICIT | typeof IMPLICIT,
    readonly oneof: SchemaOneof | undefined,
  ) {}

  get listKind(): ValueKind {
    return this.valueKind;
  }

  get mapKind(): ValueKind {
    return this.valueKind;
  }

  /** The scalar type, when the value is a scalar. */
  get scalar(): Scalar {
    return this.ref as Scalar;
  }

  /** The message type, when the value is a message (resolved on first use). */
  get message(): SchemaMessage {
    return requireMessage(this.ref as string);
  }

  get enum(): SchemaEnum {
    const desc = envoyEnum(this.ref as string);
    if (!desc) throw new Error(`schema table: no enum ${String(this.ref)}`);
    return desc;
  }
}

export class SchemaMessage {
  readonly kind = 'message';
  /** Fields in declaration order, as protobuf-es lists them. */
  readonly fields: readonly SchemaField[];
  readonly oneofs: readonly SchemaOneof[];
  /** Fields in field-number order: the order `toJson` prints them in. */
  readonly ordered: readonly SchemaField[];
  /** A field's place in `ordered`. */
  readonly slot: ReadonlyMap<SchemaField, number>;
  private readonly byKey = new Map<string, SchemaField>();

  constructor(
    readonly typeName: string,
    rows: readonly FieldRow[],
  ) {
    const oneofs = new Map<string, SchemaOneof>();
    this.fields = rows.map(([name, jsonName, number, card, value, ref, mapKey, implicit, oneofName]) => {
      let oneof: SchemaOneof | undefined;
      if (oneofName !== '') {
        oneof = oneofs.get(oneofName);
        if (!oneof) oneofs.set(oneofName, (oneof = { name: oneofName, fields: [] }));
      }
      const kind = card === 1 ? 'list' : card === 2 ? 'map' : VALUE_KINDS[value]!;
      const field = new SchemaField(name, jsonName, number, kind, VALUE_KINDS[value]!, ref, mapKey, implicit === 1 ? IMPLICIT : EXPLICIT, oneof);
      oneof?.fields.push(field);
      return field;
    });
    this.oneofs = [...oneofs.values()];
    this.ordered = [...this.fields].sort((a, b) => a.number - b.number);
    this.slot = new Map(this.ordered.map((f, i) => [f, i]));
    // Both spellings proto3 JSON accepts (`connectTimeout`, `connect_timeout`).
    for (const field of this.fields) {
      this.byKey.set(field.jsonName, field);
      this.byKey.set(field.name, field);
    }
  }

  /** A field by either spelling proto3 JSON accepts. */
  field(key: string): SchemaField | undefined {
    return this.byKey.get(key);
  }
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

let table: Table | undefined;
const messages = new Map<string, SchemaMessage>();
const enums = new Map<string, SchemaEnum>();

function rows(): Table {
  return (table ??= JSON.parse(SCHEMA_TABLE) as Table);
}

/** A message of the cluster side by its full name (`envoy.config.cluster.v3.Cluster`). */
export function envoyMessage(typeName: string): SchemaMessage | undefined {
  let desc = messages.get(typeName);
  if (!desc) {
    const fields = Object.hasOwn(rows().m, typeName) ? rows().m[typeName] : undefined;
    if (!fields) return undefined;
    desc = new SchemaMessage(typeName, fields);
    messages.set(typeName, desc);
  }
  return desc;
}

/** An enum of the cluster side by its full name. */
export function envoyEnum(typeName: string): SchemaEnum | undefined {
  let desc = enums.get(typeName);
  if (!desc) {
    const values = Object.hasOwn(rows().e, typeName) ? rows().e[typeName] : undefined;
    if (!values) return undefined;
    desc = { kind: 'enum', typeName, values: values.map(([name, number, jsonName]) => ({ name, number, jsonName: jsonName ?? name })) };
    enums.set(typeName, desc);
  }
  return desc;
}

/** Every message type name of the cluster side. */
export function envoyMessageNames(): string[] {
  return Object.keys(rows().m);
}

function requireMessage(typeName: string): SchemaMessage {
  const desc = envoyMessage(typeName);
  if (!desc) throw new Error(`schema table: no message ${typeName}`);
  return desc;
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
