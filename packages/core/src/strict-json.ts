import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { IMPLICIT, Scalar, type SchemaEnum, type SchemaField, type SchemaMessage } from './envoy-schema';
import { cleanObjectPrototype } from './plain-data';
import { anyMessage, isJsonObject } from './proto-json';

/**
 * The strict check of proto3 JSON without building a message (docs/performance.md, "Clusters stay
 * JSON"). `strictJson(schema, json)` walks the JSON alongside the schema and gives what protobuf-es
 * `toJson(fromJson(json))` would print — fields in field-number order, implicit defaults left out,
 * durations and 64-bit integers in their canonical spelling — or `undefined` when it cannot show
 * that `fromJson` accepts the input. The schema is the cluster side's table (./envoy-schema), which
 * has what protobuf-es's descriptors have, built without them. `undefined` is not a verdict: the caller then asks `fromJson`,
 * which says what is wrong (or accepts a spelling this walk does not handle). So the walk may be
 * narrow, never lenient: whatever it accepts, `fromJson` accepts and prints the same.
 */
export function strictJson(schema: SchemaMessage, json: JsonValue): JsonObject | undefined {
  // The walk reads keys with `for in`, which also meets enumerable keys of `Object.prototype`: with
  // any there (a polluted prototype), fromJson decides everything.
  if (!cleanObjectPrototype()) return undefined;
  // A refusal leaves the walk wherever it was: the stacks start empty again.
  top = 0;
  const value = walkMessage(schema, json, undefined, true);
  return value === FAIL ? undefined : (value as JsonObject);
}

/** Not shown valid: the caller asks `fromJson`. */
const FAIL = Symbol('fail');
type Walked = JsonValue | typeof FAIL;

/**
 * Frozen objects and lists already shown to print as they are, with the schema they were walked
 * against: nothing can change a frozen object, and one that prints as it is holds only frozen parts
 * that do too, so a part a plugin shares between clusters (a constant `clusterType`, endpoints
 * several clusters share) is walked once (docs/performance.md, "The translation's own work"). Looked up
 * and kept only where a frozen part sits in one that is not (`share`): a WeakMap entry costs more
 * than walking a small object, and the parts inside a frozen part come with it.
 */
const vouchedMessages = new WeakMap<object, SchemaMessage>();
/** The same for an `Any`, by the message it holds (its `@type` is part of the frozen object). */
const vouchedAnys = new WeakMap<object, SchemaMessage>();
/** Lists and maps, by their field. */
const vouchedLists = new WeakMap<object, SchemaField>();

/**
 * Whether the strict walk kept this object or list as it is where it sat in a part that was not
 * frozen: it is then frozen all through, and any answer read from it holds for as long as it lives.
 */
export function isVouched(value: object): boolean {
  return vouchedLists.has(value) || vouchedMessages.has(value) || vouchedAnys.has(value);
}

/** The walk's stacks of fields set (slot and printed value) and their height: see `walkMessage`. */
const slotStack: number[] = [];
const valueStack: JsonValue[] = [];
let top = 0;

/**
 * `typeUrl` is set for the fields of an `Any`: its `@type` key is skipped, and the object prints as
 * it is only when `@type` comes last, where `toJson` writes it.
 */
function walkMessage(schema: SchemaMessage, json: JsonValue, typeUrl: string | undefined, share: boolean): Walked {
  if (schema.wellKnown) return walkWellKnown(schema, json, share);
  if (!isJsonObject(json)) return FAIL;
  // A frozen object that prints as it is (every field kept, in field-number order, each value its
  // own) is returned itself: nothing can change it, so the result may share it with its plugin.
  const vouched = typeUrl === undefined ? vouchedMessages : vouchedAnys;
  const frozen = Object.isFrozen(json);
  if (frozen && share && vouched.get(json) === schema) return json;
  let same = frozen;
  const { ordered, byKey } = schema;
  // The fields set, as slots in `ordered` and printed values, from `base` up on the walk's stacks: a
  // message sets a few of its fields (a Cluster about 5 of 50), so these are short runs, not one
  // entry per field, and no list is made per message.
  const base = top;
  // The oneofs set so far: one bit each (`SchemaOneof.index`), a set past 31 of them.
  let oneofBits = 0;
  let oneofs: Set<unknown> | undefined;
  let last = -1;
  let typeSeen = false;
  // `for in` rather than a list of `Object.keys`: no list made per message. It meets inherited keys
  // too, which fromJson does not read: an object of another prototype (a class instance) is left
  // to fromJson, and `Object.prototype` holds none (checked in `strictJson`).
  const proto = Object.getPrototypeOf(json) as unknown;
  if (proto !== Object.prototype && proto !== null) return FAIL;
  for (const key in json) {
    if (typeUrl !== undefined && key === '@type') {
      typeSeen = true;
      continue;
    }
    // A field after `@type`: toJson would move `@type` after it.
    if (typeSeen) same = false;
    const field = byKey.get(key);
    if (!field) return FAIL;
    const slot = field.slot;
    // Both spellings of one field (`lb_policy` and `lbPolicy`): fromJson says "set multiple times",
    // also when the first is at its default and so not among the printed slots.
    if (key !== field.jsonName && Object.hasOwn(json, field.jsonName)) return FAIL;
    const raw = json[key]!;
    // `null` is "not set" for every field but `google.protobuf.Value`, which this walk leaves to fromJson.
    if (raw === null) return FAIL;
    const oneof = field.oneof;
    if (oneof) {
      if (oneof.index < 31) {
        const bit = 1 << oneof.index;
        if (oneofBits & bit) return FAIL;
        oneofBits |= bit;
      } else {
        oneofs ??= new Set();
        if (oneofs.has(oneof)) return FAIL;
        oneofs.add(oneof);
      }
    }
    const walked = walkField(field, raw, !frozen);
    if (walked === FAIL) return FAIL;
    if (walked !== raw || slot < last) same = false;
    last = slot;
    if (walked === undefined) continue;
    // Kept in slot order as they come (insertion into a short run), so printing needs no sort.
    let at = top;
    while (at > base && slotStack[at - 1]! > slot) {
      slotStack[at] = slotStack[at - 1]!;
      valueStack[at] = valueStack[at - 1]!;
      at--;
    }
    slotStack[at] = slot;
    valueStack[at] = walked;
    top++;
  }
  const end = top;
  top = base;
  if (same) {
    if (share) vouched.set(json, schema);
    return json;
  }
  const out: JsonObject = {};
  for (let i = base; i < end; i++) out[ordered[slotStack[i]!]!.jsonName] = valueStack[i]!;
  // toJson writes `@type` after the fields.
  if (typeUrl !== undefined) out['@type'] = typeUrl;
  return out;
}

/** A field's printed value; `undefined` when `toJson` leaves it out (an implicit zero, an empty list or map). */
function walkField(field: SchemaField, raw: JsonValue, share: boolean): Walked | undefined {
  const implicit = field.presence === IMPLICIT && !field.oneof;
  switch (field.fieldKind) {
    case 'scalar': {
      const value = walkScalar(field.scalar, raw);
      return value !== FAIL && implicit && isZero(field.scalar, value) ? undefined : value;
    }
    case 'enum': {
      const value = walkEnum(field.enum, raw);
      return value !== FAIL && implicit && value === field.enum.zeroName ? undefined : value;
    }
    case 'message':
      return walkMessage(field.message, raw, undefined, share);
    case 'list': {
      if (!Array.isArray(raw)) return FAIL;
      if (raw.length === 0) return undefined;
      // As a message: a frozen list whose items all print as they are is returned itself.
      const frozen = Object.isFrozen(raw);
      if (frozen && share && vouchedLists.get(raw) === field) return raw;
      let same = frozen;
      const out: JsonValue[] = new Array(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const item = raw[i]!;
        if (item === null) return FAIL;
        const value =
          field.listKind === 'message'
            ? walkMessage(field.message, item, undefined, !frozen)
            : field.listKind === 'enum'
              ? walkEnum(field.enum, item)
              : walkScalar(field.scalar, item);
        if (value === FAIL) return FAIL;
        if (value !== item) same = false;
        out[i] = value;
      }
      if (!same) return out;
      if (share) vouchedLists.set(raw, field);
      return raw;
    }
    case 'map': {
      if (!isJsonObject(raw) || field.mapKey !== Scalar.STRING) return FAIL;
      const keys = Object.keys(raw);
      if (keys.length === 0) return undefined;
      // As a list: a frozen map whose values all print as they are is returned itself (its keys
      // print in their own order, which a copy would keep too).
      const frozen = Object.isFrozen(raw);
      if (frozen && share && vouchedLists.get(raw) === field) return raw;
      let same = frozen;
      const out: JsonObject = {};
      for (const key of keys) {
        const item = raw[key]!;
        if (item === null || key === '__proto__') return FAIL;
        const value =
          field.mapKind === 'message'
            ? walkMessage(field.message, item, undefined, !frozen)
            : field.mapKind === 'enum'
              ? walkEnum(field.enum, item)
              : walkScalar(field.scalar, item);
        if (value === FAIL) return FAIL;
        if (value !== item) same = false;
        out[key] = value;
      }
      if (!same) return out;
      if (share) vouchedLists.set(raw, field);
      return raw;
    }
  }
}

/** The zero value as the walk prints it (64-bit integers as strings). */
function isZero(type: number, value: JsonValue): boolean {
  switch (type) {
    case Scalar.STRING:
      return value === '';
    case Scalar.BOOL:
      return value === false;
    case Scalar.INT64:
    case Scalar.SINT64:
    case Scalar.SFIXED64:
    case Scalar.UINT64:
    case Scalar.FIXED64:
      return value === '0';
    default:
      return value === 0;
  }
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const UINT32 = { min: 0, max: 2 ** 32 - 1 };

/** Only the spellings `toJson` prints back the same way (or, for 64-bit integers, as a string). */
function walkScalar(type: number, raw: JsonValue): Walked {
  switch (type) {
    case Scalar.STRING:
      return typeof raw === 'string' ? raw : FAIL;
    case Scalar.BOOL:
      return typeof raw === 'boolean' ? raw : FAIL;
    case Scalar.INT32:
    case Scalar.SINT32:
    case Scalar.SFIXED32:
      return Number.isInteger(raw) && (raw as number) >= INT32.min && (raw as number) <= INT32.max && !Object.is(raw, -0) ? raw : FAIL;
    case Scalar.UINT32:
    case Scalar.FIXED32:
      return Number.isInteger(raw) && (raw as number) >= UINT32.min && (raw as number) <= UINT32.max && !Object.is(raw, -0) ? raw : FAIL;
    case Scalar.INT64:
    case Scalar.SINT64:
    case Scalar.SFIXED64:
    case Scalar.UINT64:
    case Scalar.FIXED64: {
      const unsigned = type === Scalar.UINT64 || type === Scalar.FIXED64;
      if (typeof raw === 'number') return Number.isSafeInteger(raw) && (!unsigned || raw >= 0) && !Object.is(raw, -0) ? String(raw) : FAIL;
      // Digits only, no leading zero, within the safe range: the string prints back as it came.
      if (typeof raw === 'string' && /^(0|-?[1-9]\d{0,14})$/.test(raw) && (!unsigned || !raw.startsWith('-'))) return raw;
      return FAIL;
    }
    case Scalar.DOUBLE:
      return typeof raw === 'number' && Number.isFinite(raw) && !Object.is(raw, -0) ? raw : FAIL;
    case Scalar.FLOAT:
      // A float prints as its 32-bit value: only numbers that are one already print back unchanged.
      return typeof raw === 'number' && Number.isFinite(raw) && Math.fround(raw) === raw && !Object.is(raw, -0) ? raw : FAIL;
    default:
      // bytes: base64 has several spellings of one value; fromJson decides.
      return FAIL;
  }
}

function walkEnum(desc: SchemaEnum, raw: JsonValue): Walked {
  if (desc.typeName === 'google.protobuf.NullValue' || typeof raw !== 'string') return FAIL;
  // toJson prints the JSON name; only names that are their own JSON name print back unchanged.
  return desc.ownNames.has(raw) ? raw : FAIL;
}

/** A `google.protobuf.Value`: any JSON prints back as it came (a copy, so the result owns it). */
function walkValue(json: JsonValue): Walked {
  if (json === null || typeof json === 'string' || typeof json === 'boolean') return json;
  if (typeof json === 'number') return Number.isFinite(json) ? json : FAIL;
  if (Array.isArray(json)) {
    const out: JsonValue[] = new Array(json.length);
    for (let i = 0; i < json.length; i++) {
      const value = walkValue(json[i]!);
      if (value === FAIL) return FAIL;
      out[i] = value;
    }
    return out;
  }
  if (!isJsonObject(json)) return FAIL;
  const out: JsonObject = {};
  for (const key of Object.keys(json)) {
    if (key === '__proto__') return FAIL;
    const value = walkValue(json[key]!);
    if (value === FAIL) return FAIL;
    out[key] = value;
  }
  return out;
}

const DURATION = /^(0|[1-9]\d{0,11})(?:\.(\d{1,9}))?s$/;
const DURATION_SECONDS_MAX = 315_576_000_000;

/** Durations read, by spelling: their canonical spelling (bounded, emptied when full). */
const durations = new Map<string, string>();
const MAX_DURATIONS = 1024;

function walkDuration(json: string): string | typeof FAIL {
  const match = DURATION.exec(json);
  if (!match || Number(match[1]) > DURATION_SECONDS_MAX) return FAIL;
  if (match[2] === undefined) return json;
  const nanos = match[2].padEnd(9, '0');
  if (nanos === '000000000') return `${match[1]}s`;
  const digits = nanos.endsWith('000000') ? nanos.slice(0, 3) : nanos.endsWith('000') ? nanos.slice(0, 6) : nanos;
  return `${match[1]}.${digits}s`;
}

function walkWellKnown(schema: SchemaMessage, json: JsonValue, share: boolean): Walked {
  switch (schema.typeName) {
    case 'google.protobuf.Duration': {
      if (typeof json !== 'string') return FAIL;
      // Every cluster has a timeout, most the same few: each spelling is read once.
      const known = durations.get(json);
      if (known !== undefined) return known;
      const printed = walkDuration(json);
      if (printed !== FAIL) {
        if (durations.size >= MAX_DURATIONS) durations.clear();
        durations.set(json, printed);
      }
      return printed;
    }
    case 'google.protobuf.Any': {
      if (!isJsonObject(json)) return FAIL;
      const typeUrl = json['@type'];
      const inner = anyMessage(typeUrl);
      // The spelling anyPack writes back; a message with a JSON form of its own goes to fromJson.
      if (!inner || typeUrl !== `type.googleapis.com/${inner.typeName}` || inner.typeName.startsWith('google.protobuf.')) return FAIL;
      return walkMessage(inner, json, typeUrl as string, share);
    }
    case 'google.protobuf.UInt32Value':
      return walkScalar(Scalar.UINT32, json);
    case 'google.protobuf.Int32Value':
      return walkScalar(Scalar.INT32, json);
    case 'google.protobuf.BoolValue':
      return walkScalar(Scalar.BOOL, json);
    case 'google.protobuf.StringValue':
      return walkScalar(Scalar.STRING, json);
    case 'google.protobuf.DoubleValue':
      return walkScalar(Scalar.DOUBLE, json);
    case 'google.protobuf.UInt64Value':
      return walkScalar(Scalar.UINT64, json);
    case 'google.protobuf.Int64Value':
      return walkScalar(Scalar.INT64, json);
    case 'google.protobuf.Struct':
      return isJsonObject(json) ? walkValue(json) : FAIL;
    case 'google.protobuf.ListValue':
      return Array.isArray(json) ? walkValue(json) : FAIL;
    case 'google.protobuf.Value':
      return walkValue(json);
    case 'google.protobuf.Empty':
      return isJsonObject(json) && Object.keys(json).length === 0 ? {} : FAIL;
    default:
      // Timestamp, FieldMask, FloatValue, BytesValue: fromJson decides.
      return FAIL;
  }
}
