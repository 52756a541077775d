/** The name core's own diagnostics and merge contributions carry, like a plugin's. */
export const CORE_PLUGIN = '@backendkit/core';

/** docs/architecture.md: the cluster of a Backend. */
export function backendClusterName(namespace: string, name: string): string {
  return `backend_${namespace}_${name}_0`;
}
