/** SPEC §3.1: the cluster of a Backend. */
export function backendClusterName(namespace: string, name: string): string {
  return `backend_${namespace}_${name}_0`;
}

/** SPEC §3.1: the cluster of one Service port. */
export function serviceClusterName(namespace: string, service: string, port: number): string {
  return `kube_${namespace}_${service}_${port}`;
}
