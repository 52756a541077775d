import type { Diagnostic, SourceLocation } from './diagnostics';
import { positionOf } from './load';
import { refOf, type KubeObject } from './resources';

/**
 * Where `path` of a loaded object sits: its file and document, and the line and column of the path
 * (or of its nearest ancestor). Undefined for objects built in code.
 */
export function sourceOf(object: KubeObject, path?: string): SourceLocation | undefined {
  if (!object.source) return undefined;
  const position = path ? positionOf(object, path) : undefined;
  return { ...object.source, ...position };
}

/** A diagnostic about `object`, naming it and, unless it says so itself, where in the input it is. */
export function located(object: KubeObject, diagnostic: Diagnostic): Diagnostic {
  const source = diagnostic.source ?? sourceOf(object, diagnostic.path);
  return { ...diagnostic, resource: diagnostic.resource ?? refOf(object), ...(source ? { source } : {}) };
}
