import type { JsonSchema } from './json-schema';

/**
 * Turns a JSON Schema (as zod prints it) into a Kubernetes *structural* OpenAPI v3 schema, the only
 * kind an `apiextensions.k8s.io/v1` CRD accepts:
 * - every node has a `type` (or `x-kubernetes-preserve-unknown-fields` / `x-kubernetes-int-or-string`);
 * - no `$ref`, `$defs`, `const`, `$schema`, `uniqueItems: true`, numeric `exclusiveMinimum`;
 * - `properties` and `additionalProperties` never together (unknown fields are pruned instead);
 * - nullable unions become `nullable: true`.
 * Whatever cannot be expressed becomes `x-kubernetes-preserve-unknown-fields: true`: the apiserver
 * then stores it as given and the translator still validates it.
 */
export function toStructural(schema: JsonSchema): JsonSchema {
  return convert(schema, schema, []);
}

const ANY: JsonSchema = { 'x-kubernetes-preserve-unknown-fields': true };

// apiextensions.k8s.io/v1 JSONSchemaProps keywords kept as they are (after conversion).
const PLAIN = [
  'title',
  'description',
  'format',
  'default',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'multipleOf',
  'enum',
  'maxProperties',
  'minProperties',
  'required',
];

// Formats the apiserver knows; others are dropped rather than rejected.
const FORMATS = new Set([
  'bsonobjectid',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'byte',
  'password',
  'date',
  'duration',
  'datetime',
  'date-time',
  'int32',
  'int64',
  'float',
  'double',
]);

function convert(node: JsonSchema, root: JsonSchema, refs: readonly string[]): JsonSchema {
  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    // A schema that refers back to itself cannot be inlined: leave that part open.
    if (refs.includes(ref)) return { ...ANY };
    const target = resolveRef(ref, root);
    return target ? convert({ ...target, ...withoutRef(node) }, root, [...refs, ref]) : { ...ANY };
  }
  const union = (node.anyOf ?? node.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) return convertUnion(node, union, root, refs);
  if (Array.isArray(node.allOf)) return convertAllOf(node, node.allOf as JsonSchema[], root, refs);

  let type = node.type;
  let nullable = false;
  if (Array.isArray(type)) {
    nullable = type.includes('null');
    const rest = type.filter((t) => t !== 'null');
    if (rest.length !== 1) return describe({ ...ANY }, node);
    type = rest[0];
  }
  const out: JsonSchema = {};
  if ('const' in node) {
    out.enum = [node.const];
    type ??= jsonType(node.const);
  }
  if (type === undefined && Array.isArray(node.enum)) type = commonType(node.enum);
  if (type === undefined || type === 'null') return describe({ ...ANY }, node);
  out.type = type;
  for (const key of PLAIN) if (key in node && !(key in out)) out[key] = node[key];
  if (nullable || node.nullable === true) out.nullable = true;
  if (typeof out.format === 'string' && !FORMATS.has(out.format)) delete out.format;
  if (typeof out.pattern === 'string' && !isRe2Safe(out.pattern)) delete out.pattern;
  if (typeof node.exclusiveMinimum === 'number') Object.assign(out, { minimum: node.exclusiveMinimum, exclusiveMinimum: true });
  if (typeof node.exclusiveMaximum === 'number') Object.assign(out, { maximum: node.exclusiveMaximum, exclusiveMaximum: true });

  if (type === 'object') {
    const props = node.properties as Record<string, JsonSchema> | undefined;
    if (props && Object.keys(props).length > 0) {
      out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, convert(v, root, refs)]));
    } else if (isSchema(node.additionalProperties)) {
      const values = convert(node.additionalProperties, root, refs);
      if (values['x-kubernetes-preserve-unknown-fields']) out['x-kubernetes-preserve-unknown-fields'] = true;
      else out.additionalProperties = values;
    } else if (node.additionalProperties !== false) {
      out['x-kubernetes-preserve-unknown-fields'] = true;
    }
  }
  if (type === 'array') out.items = isSchema(node.items) ? convert(node.items, root, refs) : { ...ANY };
  return ordered(out);
}

// Reads like a hand-written CRD: what it is first, then constraints, then what is inside.
const ORDER = ['type', 'description', 'title', 'format', 'nullable', 'default', 'enum'];
const LAST = ['properties', 'required', 'additionalProperties', 'items', 'x-kubernetes-preserve-unknown-fields'];

function ordered(out: JsonSchema): JsonSchema {
  const rank = (key: string) => (ORDER.includes(key) ? ORDER.indexOf(key) : LAST.includes(key) ? 100 + LAST.indexOf(key) : 50);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => rank(a) - rank(b)));
}

/** `T | null`, enums of literals and int-or-string have CRD forms; other unions are left open. */
function convertUnion(node: JsonSchema, members: JsonSchema[], root: JsonSchema, refs: readonly string[]): JsonSchema {
  const resolved = members.map((m) => (typeof m.$ref === 'string' && !refs.includes(m.$ref) ? (resolveRef(m.$ref, root) ?? m) : m));
  const isNull = (m: JsonSchema) => m.type === 'null' || ('const' in m && m.const === null);
  const rest = resolved.filter((m) => !isNull(m));
  const outer = withoutUnion(node);
  if (rest.length === 1) {
    const single = convert({ ...rest[0]!, ...outer }, root, refs);
    if (rest.length < resolved.length && single.type) single.nullable = true;
    return single;
  }
  const literals = rest.flatMap((m) => ('const' in m ? [m.const] : Array.isArray(m.enum) ? m.enum : [undefined]));
  if (literals.every((v) => v !== undefined) && commonType(literals)) {
    return convert({ ...outer, enum: literals, ...(rest.length < resolved.length ? { nullable: true } : {}) }, root, refs);
  }
  const types = new Set(rest.map((m) => m.type));
  if (types.size === 2 && types.has('string') && (types.has('integer') || types.has('number'))) {
    return describe({ 'x-kubernetes-int-or-string': true }, outer);
  }
  return describe({ ...ANY }, outer);
}

/** zod prints intersections as `allOf`: merge object members into one object. */
function convertAllOf(node: JsonSchema, members: JsonSchema[], root: JsonSchema, refs: readonly string[]): JsonSchema {
  const parts = members.map((m) => convert(m, root, refs));
  if (!parts.every((p) => p.type === 'object' && p.properties)) return describe({ ...ANY }, node);
  const merged: JsonSchema = { type: 'object', properties: {} };
  for (const part of parts) {
    Object.assign(merged.properties as object, part.properties);
    if (Array.isArray(part.required)) merged.required = [...new Set([...((merged.required as string[]) ?? []), ...part.required])];
  }
  return describe(merged, node);
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema | undefined {
  if (ref === '#') return root;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = match ? (root[match[1]!] as Record<string, JsonSchema> | undefined) : undefined;
  return match && defs ? defs[decodeURIComponent(match[2]!).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
}

function describe(out: JsonSchema, from: JsonSchema): JsonSchema {
  if (typeof from.description === 'string') out.description = from.description;
  return out;
}

function withoutRef(node: JsonSchema): JsonSchema {
  const { $ref: _ref, ...rest } = node;
  return rest;
}

function withoutUnion(node: JsonSchema): JsonSchema {
  const { anyOf: _any, oneOf: _one, ...rest } = node;
  return rest;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string | undefined {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return undefined;
}

function commonType(values: readonly unknown[]): string | undefined {
  const types = new Set(values.map(jsonType));
  if (types.size === 1) return [...types][0];
  if (types.size === 2 && types.has('integer') && types.has('number')) return 'number';
  return undefined;
}

/** The apiserver compiles `pattern` with Go's RE2: lookaround and backreferences would be refused. */
function isRe2Safe(pattern: string): boolean {
  return !/\(\?[=!]|\(\?<[=!]|\\[1-9]|\\k</.test(pattern);
}
