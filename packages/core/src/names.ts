/** SPEC §3.1: the cluster of a Backend. */
export function backendClusterName(namespace: string, name: string): string {
  return `backend_${namespace}_${name}_0`;
}
