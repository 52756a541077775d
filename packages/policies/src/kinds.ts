import type { KindTable, KubeObject } from '@backendkit/core';

export const BCP_KIND = 'BackendConfigPolicy';
export const BCP_API_VERSION = 'gateway.kgateway.dev/v1alpha1';
export const BCP_GROUP = 'gateway.kgateway.dev';
export const BTP_KIND = 'BackendTLSPolicy';
export const BTP_API_VERSIONS = ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha3'] as const;
export const BTP_GROUP = 'gateway.networking.k8s.io';

export const BCP_KINDS: KindTable = { [BCP_KIND]: [BCP_API_VERSION] };
export const BTP_KINDS: KindTable = { [BTP_KIND]: BTP_API_VERSIONS, ConfigMap: ['v1'] };

/** `gateway.kgateway.dev/BackendConfigPolicy/<ns>/<name>`: how kgateway prefixes a policy's errors. */
export function policyRef(group: string, policy: KubeObject): string {
  return `${group}/${policy.kind}/${policy.metadata.namespace}/${policy.metadata.name}`;
}

/** `<ns>/<name>` */
export function nsName(object: KubeObject): string {
  return `${object.metadata.namespace}/${object.metadata.name}`;
}
