import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { Diagnostic } from './diagnostics';
import { CLUSTER, CLUSTER_LOAD_ASSIGNMENT, envoyMessage, type SchemaField, type SchemaMessage } from './envoy-schema';
import type { Fragment, FragmentOverrides } from './plugin';
import { fieldByJsonKey, hasOwnJsonForm, isJsonObject } from './proto-json';

// docs/plugins.md, "Taking over the type plugin's fields": a feature plugin names fields of the type
// plugin's cluster or assignment it takes over. Core removes them from that fragment before the
// merge; the feature plugin's own fragment may then set them anew. Data, not a callback, so core
// can check every path against the schema and tell two plugins that disagree about a field.

/** One segment of a checked path: the field, and whether `[]` follows (every element of a list). */
interface Step {
  field: SchemaField;
  each: boolean;
}

export interface OverrideContribution {
  plugin: string;
  fragment: Fragment;
}

type Part = keyof FragmentOverrides;

const SCHEMAS: Record<Part, SchemaMessage> = { cluster: envoyMessage(CLUSTER)!, assignment: envoyMessage(CLUSTER_LOAD_ASSIGNMENT)! };

/**
 * A path such as `loadAssignment.endpoints[].lbEndpoints[].endpoint.healthCheckConfig.hostname`,
 * checked against the message: each segment a field (either JSON spelling), `[]` after a list and
 * only there, and nothing below a map, an `Any` or a well-known type with a JSON form of its own.
 */
export function parseOverridePath(schema: SchemaMessage, path: string): Step[] | string {
  if (path === '') return 'the path is empty';
  const steps: Step[] = [];
  let desc: SchemaMessage | undefined = schema;
  const segments = path.split('.');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const each = segment.endsWith('[]');
    const name = each ? segment.slice(0, -2) : segment;
    if (!desc) return `${segments.slice(0, i).join('.')} has no fields to name`;
    const field = fieldByJsonKey(desc, name);
    if (!field) return `${desc.typeName} has no field "${name}"`;
    if (each !== (field.fieldKind === 'list')) {
      return each ? `${name} is not a list: "[]" does not apply` : `${name} is a list: write ${name}[] to name a field of its elements`;
    }
    steps.push({ field, each });
    const last = i === segments.length - 1;
    if (last) break;
    const message = field.fieldKind === 'message' ? field.message : field.fieldKind === 'list' && field.listKind === 'message' ? field.message : undefined;
    desc = message && !hasOwnJsonForm(message) && message.typeName !== 'google.protobuf.Any' ? message : undefined;
  }
  if (steps[steps.length - 1]!.each) return `${path} ends in "[]": name the list itself to take it over whole`;
  return steps;
}

/** The key a JSON object uses for a field, in either spelling, if it has one. */
function keyOf(object: JsonObject, field: SchemaField): string | undefined {
  if (field.jsonName in object) return field.jsonName;
  return field.name in object ? field.name : undefined;
}

/** Whether the value holds anything at the path (in any element of a list on the way). */
export function hasValueAt(value: JsonValue | undefined, steps: readonly Step[]): boolean {
  if (steps.length === 0) return value !== undefined && value !== null;
  if (!isJsonObject(value)) return false;
  const [step, ...rest] = steps as [Step, ...Step[]];
  const key = keyOf(value, step.field);
  if (key === undefined) return false;
  const child = value[key];
  if (step.each) return Array.isArray(child) && child.some((element) => hasValueAt(element, rest));
  return hasValueAt(child, rest);
}

/** The value without what is at the path; the same object when there is nothing there (never changed in place). */
export function removeAt(value: JsonObject, steps: readonly Step[]): JsonObject {
  const [step, ...rest] = steps as [Step, ...Step[]];
  const key = keyOf(value, step.field);
  if (key === undefined) return value;
  if (rest.length === 0) {
    const { [key]: _removed, ...kept } = value;
    return kept;
  }
  const child = value[key];
  if (step.each) {
    if (!Array.isArray(child)) return value;
    let changed = false;
    const elements = child.map((element) => {
      if (!isJsonObject(element)) return element;
      const next = removeAt(element, rest);
      if (next !== element) changed = true;
      return next;
    });
    return changed ? { ...value, [key]: elements } : value;
  }
  if (!isJsonObject(child)) return value;
  const next = removeAt(child, rest);
  return next === child ? value : { ...value, [key]: next };
}

/**
 * Applies the feature plugins' overrides to the type plugin's fragment (`contributions[0]`). A path
 * that does not fit the schema is an `invalid-output` error of its plugin; a feature plugin that sets
 * a field another one takes over is a `merge-conflict` naming both, as two values would be. The
 * returned contributions share everything that did not change.
 */
export function applyOverrides<C extends OverrideContribution>(contributions: readonly C[], diagnostics: Diagnostic[]): readonly C[] {
  if (!contributions.some(({ fragment }) => fragment.overrides)) return contributions;
  const [type, ...features] = contributions as unknown as [C, ...C[]];
  if (type.fragment.overrides) {
    diagnostics.push(invalid(type.plugin, 'overrides are for feature plugins: the type plugin builds the fields it would take over'));
  }
  let typeFragment = type.fragment;
  for (const part of ['cluster', 'assignment'] as const) {
    const schema = SCHEMAS[part];
    for (const owner of features) {
      for (const path of owner.fragment.overrides?.[part] ?? []) {
        const steps = parseOverridePath(schema, path);
        if (typeof steps === 'string') {
          diagnostics.push(invalid(owner.plugin, `overrides.${part} "${path}": ${steps}`));
          continue;
        }
        for (const other of features) {
          if (other === owner || (other.fragment.overrides?.[part] ?? []).includes(path)) continue;
          if (!hasValueAt(other.fragment[part] as JsonValue | undefined, steps)) continue;
          diagnostics.push({
            severity: 'error',
            code: 'merge-conflict',
            plugin: other.plugin,
            message: `plugins "${owner.plugin}" and "${other.plugin}" disagree at ${part}.${path}: "${owner.plugin}" takes it over, "${other.plugin}" sets it`,
          });
        }
        const current = typeFragment[part] as JsonObject | undefined;
        if (!current) continue;
        const next = removeAt(current, steps);
        if (next !== current) typeFragment = { ...typeFragment, [part]: next };
      }
    }
  }
  return typeFragment === type.fragment ? contributions : [{ ...type, fragment: typeFragment }, ...features];
}

function invalid(plugin: string, message: string): Diagnostic {
  return { severity: 'error', code: 'invalid-output', plugin, message };
}
