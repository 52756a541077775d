/**
 * Freezes a part of a fragment, and every part inside it, and returns it: for a part a plugin hands
 * out in many fragments (a constant `clusterType`, endpoints several clusters share). Written as
 * Envoy's `toJson` writes it (fields in field-number order, no default values, `@type` last in an
 * `Any`), the strict check walks it once per translation and the result holds it by reference
 * (docs/plugins.md, "Large parts may be frozen"; docs/performance.md, "The translation's own work").
 */
export function frozenJson<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) frozenJson((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}
