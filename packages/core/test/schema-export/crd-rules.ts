import Ajv from 'ajv';
import type { JsonSchema } from '@backendkit/core/schema';

// Keywords an apiextensions.k8s.io/v1 JSONSchemaProps may carry in a structural schema.
const ALLOWED = new Set([
  'type',
  'format',
  'title',
  'description',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
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
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'properties',
  'additionalProperties',
  'nullable',
  'example',
  'externalDocs',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
  'x-kubernetes-embedded-resource',
]);
// Inside allOf/anyOf/oneOf/not, the apiserver refuses these (they belong to the structure, not to validation).
const NOT_IN_JUNCTORS = ['type', 'description', 'default', 'additionalProperties', 'nullable', 'x-kubernetes-preserve-unknown-fields'];
const JUNCTORS = ['allOf', 'anyOf', 'oneOf', 'not'];

/**
 * The rules of Kubernetes structural schemas (and of v1 CRD validation) that a generated schema
 * could break, checked independently of the code that generates it. Returns the problems found.
 */
export function structuralProblems(schema: JsonSchema, path = 'openAPIV3Schema'): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(schema)) if (!ALLOWED.has(key)) problems.push(`${path}: keyword ${key} is not allowed`);
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true || schema['x-kubernetes-int-or-string'] === true;
  if (typeof schema.type !== 'string' && !open) problems.push(`${path}: no type`);
  if (schema.properties && schema.additionalProperties !== undefined) problems.push(`${path}: properties and additionalProperties together`);
  for (const bound of ['exclusiveMinimum', 'exclusiveMaximum']) {
    if (bound in schema && typeof schema[bound] !== 'boolean') problems.push(`${path}: ${bound} must be a boolean in OpenAPI v3.0`);
  }
  if (schema.uniqueItems === true) problems.push(`${path}: uniqueItems: true is forbidden`);
  if (schema.type === 'array' && !schema.items) problems.push(`${path}: array without items`);
  for (const [name, child] of Object.entries((schema.properties as Record<string, JsonSchema>) ?? {}))
    problems.push(...structuralProblems(child, `${path}.properties.${name}`));
  if (isObject(schema.items)) problems.push(...structuralProblems(schema.items, `${path}.items`));
  if (isObject(schema.additionalProperties)) problems.push(...structuralProblems(schema.additionalProperties, `${path}.additionalProperties`));
  for (const junctor of JUNCTORS) {
    const members = junctor === 'not' ? (schema.not ? [schema.not] : []) : ((schema[junctor] as JsonSchema[]) ?? []);
    members.forEach((member, i) => problems.push(...junctorProblems(member as JsonSchema, schema, `${path}.${junctor}[${i}]`)));
  }
  return problems;
}

/** Junctor members may only restate value constraints on fields the surrounding schema declares. */
function junctorProblems(member: JsonSchema, outer: JsonSchema, path: string): string[] {
  const problems: string[] = [];
  for (const key of NOT_IN_JUNCTORS) if (key in member) problems.push(`${path}: ${key} is not allowed inside a junctor`);
  const declared = (outer.properties as Record<string, JsonSchema>) ?? {};
  for (const field of [...((member.required as string[]) ?? []), ...Object.keys((member.properties as object) ?? {})]) {
    if (!(field in declared)) problems.push(`${path}: ${field} is not declared in the surrounding properties`);
  }
  for (const [name, child] of Object.entries((member.properties as Record<string, JsonSchema>) ?? {})) {
    problems.push(...junctorProblems(child, (declared[name] ?? {}) as JsonSchema, `${path}.properties.${name}`));
  }
  for (const junctor of JUNCTORS) {
    const nested = junctor === 'not' ? (member.not ? [member.not] : []) : ((member[junctor] as JsonSchema[]) ?? []);
    nested.forEach((n, i) => problems.push(...junctorProblems(n as JsonSchema, outer, `${path}.${junctor}[${i}]`)));
  }
  return problems;
}

/**
 * A validator for a structural schema, so tests can check what a cluster would accept: OpenAPI
 * v3.0's boolean exclusive bounds become draft-07 numbers; `nullable` is understood by Ajv itself.
 */
export function compileOpenApi(schema: JsonSchema) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(toDraft7(schema) as JsonSchema);
}

function toDraft7(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toDraft7);
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') continue;
    out[key] = key === 'enum' || key === 'default' || key === 'required' ? value : toDraft7(value);
  }
  if (node.exclusiveMinimum === true) Object.assign(out, { exclusiveMinimum: node.minimum, minimum: undefined });
  if (node.exclusiveMaximum === true) Object.assign(out, { exclusiveMaximum: node.maximum, maximum: undefined });
  for (const key of ['minimum', 'maximum']) if (out[key] === undefined) delete out[key];
  return out;
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
