import { hasEnvoyField } from '@backendkit/core/helpers';

/**
 * Whether the Envoy API the types are generated from has a field (by its proto3-JSON name). Fields
 * newer than that API (`forceLocalZone`, `hashPolicy` on consistent hashing, `dnsJitter`) are only
 * written when it has them; otherwise the policy says they were not applied (docs/backend-config-policy.md).
 */
export function envoyHasField(typeName: string, jsonName: string): boolean {
  return hasEnvoyField(typeName, jsonName);
}

export const ZONE_AWARE = 'envoy.extensions.load_balancing_policies.common.v3.LocalityLbConfig.ZoneAwareLbConfig';
export const CONSISTENT_HASHING = 'envoy.extensions.load_balancing_policies.common.v3.ConsistentHashingLbConfig';
export const CLUSTER = 'envoy.config.cluster.v3.Cluster';
export const COOKIE = 'envoy.config.route.v3.RouteAction.HashPolicy.Cookie';
