import type { KubeObject, ObjectKind } from '@backendkit/core';

export const BCP_KIND = 'BackendConfigPolicy';
export const BCP_API_VERSION = 'gateway.kgateway.dev/v1alpha1';
export const BCP_GROUP = 'gateway.kgateway.dev';
export const BTP_KIND = 'BackendTLSPolicy';
export const BTP_API_VERSIONS = ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha3'] as const;
export const BTP_GROUP = 'gateway.networking.k8s.io';

export const BCP_KINDS: readonly ObjectKind[] = [{ apiVersion: BCP_API_VERSION, kind: BCP_KIND }];
export const BTP_KINDS: readonly ObjectKind[] = [
  ...BTP_API_VERSIONS.map((apiVersion) => ({ apiVersion, kind: BTP_KIND })),
  { apiVersion: 'v1', kind: 'ConfigMap' },
];

/** `gateway.kgateway.dev/BackendConfigPolicy/<ns>/<name>`: how kgateway prefixes a policy's errors. */
export function policyRef(group: string, policy: KubeObject): string {
  return `${group}/${policy.kind}/${policy.metadata.namespace}/${policy.metadata.name}`;
}

/** `<ns>/<name>` */
export function nsName(object: KubeObject): string {
  return `${object.metadata.namespace}/${object.metadata.name}`;
}
