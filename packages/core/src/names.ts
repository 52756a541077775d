/** The name core's own diagnostics and merge contributions carry, like a plugin's. */
export const CORE_PLUGIN = '@backendkit/core';

/** docs/architecture.md: the cluster of a Backend. */
export function backendClusterName(namespace: string, name: string): string {
  return `backend_${namespace}_${name}_0`;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Why a `metadata.namespace` or `metadata.name` is not one Kubernetes accepts, or undefined: a
 * namespace is a DNS-1123 label (at most 63 of `a-z`, `0-9`, `-`, starting and ending alphanumeric),
 * a name a DNS-1123 subdomain (such labels joined by dots, at most 253 characters). Cluster names
 * join namespace and name with `_`, which neither may hold, so two objects never share a cluster
 * name (docs/security.md).
 */
export function nameProblem(field: 'namespace' | 'name', value: string): string | undefined {
  const [what, max] = field === 'namespace' ? ['a DNS-1123 label', 63] : ['a DNS-1123 subdomain', 253];
  const labels = field === 'namespace' ? [value] : value.split('.');
  if (value.length <= max && labels.every((label) => label.length <= 63 && DNS_LABEL.test(label))) return undefined;
  const shown = value.length > 80 ? `${JSON.stringify(value.slice(0, 80))}... (${value.length} characters)` : JSON.stringify(value);
  const rule = field === 'namespace' ? 'at most 63 characters' : 'labels of at most 63 characters joined by dots, 253 in all';
  return `metadata.${field} ${shown} is not ${what} (lowercase letters, digits and "-", starting and ending with a letter or digit; ${rule})`;
}
