import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { SchemaField, SchemaMessage } from './envoy-schema';
import { anyMessage, fieldByJsonKey, hasOwnJsonForm, isJsonObject } from './proto-json';

export interface MergeConflict {
  /** Where the two fragments disagree, e.g. `cluster.typedExtensionProtocolOptions["…"].explicitHttpConfig`. */
  path: string;
  /** The plugin that set the value first, then the one that disagreed. */
  plugins: [string, string];
  message: string;
}

type Segments = readonly string[];

/**
 * Merges proto3-JSON fragments of one message type, guided by the schema:
 * messages merge field by field (and `Any` values of the same `@type` likewise), map entries merge
 * by key, and a oneof accepts one member. Scalars, enums, lists and well-known types with a JSON form
 * of their own are leaves: equal is fine, different is a conflict naming both plugins.
 */
export class SchemaMerger {
  readonly value: JsonObject = {};
  readonly conflicts: MergeConflict[] = [];
  private readonly owners = new Map<string, string>();

  constructor(
    private readonly schema: SchemaMessage,
    private readonly root: string,
  ) {}

  add(fragment: JsonObject, plugin: string): MergeConflict[] {
    const before = this.conflicts.length;
    this.mergeMessage(this.schema, this.value, fragment, [], plugin);
    return this.conflicts.slice(before);
  }

  private mergeMessage(desc: SchemaMessage, target: JsonObject, source: JsonObject, at: Segments, plugin: string): void {
    if (desc.typeName === 'google.protobuf.Any') return this.mergeAny(target, source, at, plugin);
    for (const [key, value] of Object.entries(source)) {
      const field = fieldByJsonKey(desc, key);
      const path = [...at, key];
      const rival = field?.oneof?.fields.find((m) => m !== field && m.jsonName in target);
      if (rival) {
        const owner = this.ownerOf([...at, rival.jsonName]);
        this.conflict(at, owner, plugin, `"${owner}" sets ${rival.jsonName}, "${plugin}" sets ${key}: only one of them can be set`);
        continue;
      }
      if (!(key in target)) {
        target[key] = value;
        this.owners.set(path.join('\0'), plugin);
        continue;
      }
      this.mergeValue(field, target, key, value, path, plugin);
    }
  }

  private mergeValue(field: SchemaField | undefined, target: JsonObject, key: string, value: JsonValue, path: Segments, plugin: string): void {
    const existing = target[key] as JsonValue;
    if (field?.fieldKind === 'message' && isJsonObject(existing) && isJsonObject(value) && !hasOwnJsonForm(field.message)) {
      return this.mergeMessage(field.message, existing, value, path, plugin);
    }
    if (field?.fieldKind === 'map' && isJsonObject(existing) && isJsonObject(value)) {
      for (const [mapKey, entry] of Object.entries(value)) {
        const entryPath = [...path, `[${JSON.stringify(mapKey)}]`];
        const current = existing[mapKey];
        if (current === undefined) {
          existing[mapKey] = entry;
          this.owners.set(entryPath.join('\0'), plugin);
        } else if (field.mapKind === 'message' && isJsonObject(current) && isJsonObject(entry) && !hasOwnJsonForm(field.message)) {
          this.mergeMessage(field.message, current, entry, entryPath, plugin);
        } else if (!jsonEqual(current, entry)) {
          this.leafConflict(entryPath, plugin, current, entry);
        }
      }
      return;
    }
    if (!jsonEqual(existing, value)) this.leafConflict(path, plugin, existing, value);
  }

  private mergeAny(target: JsonObject, source: JsonObject, at: Segments, plugin: string): void {
    if (target['@type'] !== source['@type']) return this.leafConflict([...at, '@type'], plugin, target['@type'], source['@type']);
    const desc = anyMessage(source['@type']);
    if (!desc || hasOwnJsonForm(desc)) {
      if (!jsonEqual(target, source)) this.leafConflict(at, plugin, target, source);
      return;
    }
    const { ['@type']: _, ...fields } = source;
    this.mergeMessage(desc, target, fields, at, plugin);
  }

  private leafConflict(at: Segments, plugin: string, was: JsonValue | undefined, now: JsonValue | undefined): void {
    const owner = this.ownerOf(at);
    this.conflict(at, owner, plugin, `"${owner}" sets ${JSON.stringify(was)}, "${plugin}" sets ${JSON.stringify(now)}`);
  }

  private conflict(at: Segments, owner: string, plugin: string, message: string): void {
    this.conflicts.push({ path: formatPath(this.root, at), plugins: [owner, plugin], message });
  }

  /** The plugin that introduced the value at a path: the nearest recorded ancestor. */
  private ownerOf(at: Segments): string {
    for (let n = at.length; n >= 0; n--) {
      const owner = this.owners.get(at.slice(0, n).join('\0'));
      if (owner) return owner;
    }
    return 'unknown';
  }
}

function formatPath(root: string, at: Segments): string {
  return at.reduce((path, s) => (s.startsWith('[') ? path + s : `${path}.${s}`), root);
}

export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}
