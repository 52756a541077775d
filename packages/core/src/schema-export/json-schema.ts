import { z } from 'zod';
import type { BackendPlugin } from '../plugin';
import { PluginRegistry } from '../registry';

/** A JSON Schema document or subschema, as plain JSON. */
export type JsonSchema = { [keyword: string]: unknown };

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The input JSON Schema of one plugin's part of `Backend.spec` (what users write, defaults
 * included), from its zod schema. Refinements zod cannot express are left out: the schema may accept
 * a little more than the translator does, never less.
 */
export function pluginInputSchema(plugin: BackendPlugin): JsonSchema {
  let schema: JsonSchema;
  try {
    schema = z.toJSONSchema(plugin.schema as z.ZodType, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { description: `The schema of plugin ${plugin.name} cannot be expressed as JSON Schema (${reason}); any value is accepted here.` };
  }
  delete schema.$schema;
  // `$ref`s inside (recursive or reused parts) point at this schema's own root: an `$id` makes it
  // its own resource once it is nested in the Backend.spec document.
  if (JSON.stringify(schema).includes('"$ref"')) schema.$id = `urn:backendkit:plugin:${plugin.name}${plugin.variant ? `:${plugin.variant}` : ''}`;
  return schema;
}

/** The type plugins behind each key, in registration order, checked as the translator checks them. */
export function typePluginsByKey(plugins: readonly BackendPlugin[]): PluginRegistry {
  return new PluginRegistry([...plugins]);
}

/**
 * The JSON Schema (draft 2020-12) of `Backend.spec` for these plugins: one property per type key,
 * exactly one of them set, the legacy `type` agreeing with it, and for keys shared by variants
 * (`aws.lambda` / `aws.ec2`) exactly one variant field.
 */
export function backendSpecJsonSchema(plugins: readonly BackendPlugin[]): JsonSchema {
  const registry = typePluginsByKey(plugins);
  const keys = registry.keys;
  const legacyTypes = registry.legacyTypes;
  const properties: Record<string, JsonSchema> = {};
  if (legacyTypes.length > 0) {
    properties.type = { type: 'string', enum: legacyTypes, description: 'Legacy type name; must name the type key that is set.' };
  }
  for (const key of keys) properties[key] = keySchema(registry.byKey.get(key)!);

  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'Backend.spec',
    description: `exactly one of the fields in [${keys.join(' ')}] must be set`,
    type: 'object',
    properties,
    additionalProperties: false,
    oneOf: keys.map((key) => keyBranch(key, registry, legacyTypes.length > 0)),
  };
}

function keySchema(owners: readonly BackendPlugin[]): JsonSchema {
  if (owners.length === 1 && owners[0]!.variant === undefined) return pluginInputSchema(owners[0]!);
  // Each variant's schema validates the whole object; the variant field picks which one applies.
  return {
    description: `exactly one of the fields in [${owners.map((o) => o.variant).join(' ')}] must be set`,
    type: 'object',
    oneOf: owners.map((o) => ({ allOf: [pluginInputSchema(o), { required: [o.variant] }] })),
  };
}

/** "This key is the one set", plus what the legacy `type` may then say. */
function keyBranch(key: string, registry: PluginRegistry, hasLegacy: boolean): JsonSchema {
  const branch: JsonSchema = { required: [key] };
  if (!hasLegacy) return branch;
  const mine = [...new Set(registry.byKey.get(key)!.flatMap((p) => p.legacyType ?? []))];
  if (mine.length > 0) branch.properties = { type: { enum: mine } };
  else branch.not = { required: ['type'] };
  return branch;
}
