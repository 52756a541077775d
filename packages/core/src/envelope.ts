import type { Diagnostic } from './diagnostics';
import { isPlainObject } from './load';
import type { KubeObject } from './resources';

export interface Screened {
  objects: KubeObject[];
  diagnostics: Diagnostic[];
}

/**
 * Objects given to `translate` in code skip the loader's checks. The few without which nothing can
 * be indexed — an object, a `kind` string, a `metadata` object with a string `name` (and a string
 * `namespace`, if any) — are skipped with an error instead of failing the whole translation;
 * everything else is left to the plugins, as before.
 */
export function screenEnvelopes(objects: readonly unknown[]): Screened {
  let problems: Diagnostic[] | undefined;
  for (let i = 0; i < objects.length; i++) {
    if (indexable(objects[i])) continue;
    (problems ??= []).push({
      severity: 'error',
      code: 'invalid-input',
      message: `objects[${i}] is not a Kubernetes object (it needs a kind, and metadata with a name): skipped`,
    });
  }
  if (!problems) return { objects: objects as KubeObject[], diagnostics: [] };
  return { objects: objects.filter(indexable), diagnostics: problems };
}

function indexable(object: unknown): object is KubeObject {
  if (!isPlainObject(object) || typeof object.kind !== 'string' || !isPlainObject(object.metadata)) return false;
  const { name, namespace } = object.metadata;
  return typeof name === 'string' && (namespace === undefined || typeof namespace === 'string');
}
