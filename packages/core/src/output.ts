import type { JsonObject } from '@bufbuild/protobuf';
import { stringify } from 'yaml';
import type { RouteResult } from './routing';
import type { ResourceStatus } from './status';
import type { TranslationResult } from './result';

/** What `backendkit translate` prints: Envoy proto3 JSON plus statuses. */
export interface OutputDocument {
  clusters: JsonObject[];
  endpoints: JsonObject[];
  statuses: ResourceStatus[];
  /** Present only when the input holds at least one HTTPRoute, so route-free output is unchanged. */
  routes?: RouteResult[];
  [section: string]: unknown;
}

export function toOutputDocument(result: TranslationResult): OutputDocument {
  return {
    // Already Envoy's proto3 JSON (docs/performance.md, "Clusters stay JSON").
    clusters: result.clusters,
    endpoints: result.assignments,
    statuses: result.statuses,
    ...(result.routes.length > 0 ? { routes: result.routes } : {}),
  };
}

export function formatJson(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function formatYaml(document: unknown): string {
  // No anchors: repeated subtrees are printed in full, as Envoy and people expect.
  return stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}
