import type { BcpLoadBalancer } from './bcp-schema';
import { LB_POLICY_TYPES } from './envoy-names';
import { protoDuration } from './units';

type Json = Record<string, unknown>;

export interface BuiltLb {
  cluster: Json;
  warnings: string[];
}

/**
 * `loadBalancer` (docs/backend-config-policy.md, "loadBalancer"): `commonLbConfig` with its three
 * fields, and a typed `loadBalancingPolicy`. `hostnameHashing` says whether the cluster can hash by
 * hostname (STRICT_DNS).
 */
export function buildLb(lb: BcpLoadBalancer, policyName: string, policyNamespace: string, hostnameHashing: boolean, legacy: boolean): BuiltLb {
  const warnings: string[] = [];
  const common: Json = {};
  if (lb.healthyPanicThreshold !== undefined) common.healthyPanicThreshold = { value: lb.healthyPanicThreshold };
  if (lb.updateMergeWindow !== undefined) common.updateMergeWindow = protoDuration(lb.updateMergeWindow);
  if (lb.closeConnectionsOnHostSetChange !== undefined) common.closeConnectionsOnHostSetChange = lb.closeConnectionsOnHostSetChange;

  const locality = (): Json => {
    const preferLocal = lb.zoneAware?.preferLocal;
    if (!preferLocal) return { localityWeightedLbConfig: {} };
    // `forceLocalZone` is newer than the Envoy API the types are generated from (docs/backend-config-policy.md).
    if (preferLocal.force) warnings.push('zoneAware.preferLocal.force (forceLocalZone) is not in the Envoy API backendkit is built on: not applied');
    return { zoneAwareLbConfig: { routingEnabled: { value: preferLocal.routingEnabled }, minClusterSize: String(preferLocal.minEndpointsThreshold) } };
  };
  const slowStart = (s: NonNullable<NonNullable<BcpLoadBalancer['roundRobin']>['slowStart']> | undefined): Json => {
    if (!s) return {};
    const config: Json = {};
    if (s.window) config.slowStartWindow = protoDuration(s.window);
    if (s.aggression !== undefined) config.aggression = { defaultValue: Number(s.aggression), runtimeKey: `${policyName}.${policyNamespace}.slowStart.aggression` };
    if (s.minWeightPercent !== undefined) config.minWeightPercent = { value: s.minWeightPercent };
    return { slowStartConfig: config };
  };
  const hashing = (h: { useHostnameForHashing?: boolean | undefined; hashPolicies?: unknown[] | undefined }): Json => {
    if (h.hashPolicies) warnings.push('hashPolicies choose the hash key on routes; backendkit emits clusters only, so they are not applied (docs/backend-config-policy.md)');
    if (!h.useHostnameForHashing) return {};
    if (hostnameHashing) return { consistentHashingLbConfig: { useHostnameForHashing: true } };
    warnings.push('useHostnameForHashing works only on STRICT_DNS clusters: ignored on this cluster');
    return { consistentHashingLbConfig: {} };
  };

  let kind: keyof typeof LB_POLICY_TYPES;
  let config: Json;
  if (lb.leastRequest) {
    kind = 'leastRequest';
    config = { choiceCount: lb.leastRequest.choiceCount, ...slowStart(lb.leastRequest.slowStart), localityLbConfig: locality() };
  } else if (lb.roundRobin) {
    kind = 'roundRobin';
    config = { ...slowStart(lb.roundRobin.slowStart), localityLbConfig: locality() };
  } else if (lb.ringHash) {
    kind = 'ringHash';
    const r = lb.ringHash;
    config = {
      ...(r.minimumRingSize !== undefined ? { minimumRingSize: String(r.minimumRingSize) } : {}),
      ...(r.maximumRingSize !== undefined ? { maximumRingSize: String(r.maximumRingSize) } : {}),
      ...hashing(r),
      ...(lb.localityType ? { localityWeightedLbConfig: {} } : {}),
    };
  } else if (lb.maglev) {
    kind = 'maglev';
    config = { ...hashing(lb.maglev), ...(lb.localityType ? { localityWeightedLbConfig: {} } : {}) };
  } else {
    kind = 'random';
    config = { localityLbConfig: locality() };
  }
  if (legacy) return legacyLb(kind, config, common, warnings);
  const [name, type] = LB_POLICY_TYPES[kind];
  return {
    cluster: { commonLbConfig: common, loadBalancingPolicy: { policies: [{ typedExtensionConfig: { name, typedConfig: { '@type': type, ...config } } }] } },
    warnings,
  };
}

const LEGACY_POLICY = { leastRequest: 'LEAST_REQUEST', roundRobin: 'ROUND_ROBIN', ringHash: 'RING_HASH', maglev: 'MAGLEV', random: 'RANDOM' } as const;

/**
 * The same balancing in the Cluster's own fields (`lbPolicy`, `<kind>LbConfig`, `commonLbConfig`), for
 * clusters whose `commonLbConfig` already holds locality-weighted balancing (core's EDS shape):
 * Envoy refuses a typed policy beside it (docs/backend-config-policy.md, "loadBalancer on EDS").
 */
function legacyLb(kind: keyof typeof LEGACY_POLICY, config: Json, common: Json, warnings: string[]): BuiltLb {
  const { localityLbConfig, localityWeightedLbConfig: _, consistentHashingLbConfig, slowStartConfig, choiceCount, minimumRingSize, maximumRingSize } = config as Record<string, Json | undefined>;
  const cluster: Json = { lbPolicy: LEGACY_POLICY[kind] };
  const commonOut: Json = { ...common };
  if (localityLbConfig?.zoneAwareLbConfig) commonOut.zoneAwareLbConfig = localityLbConfig.zoneAwareLbConfig;
  if (consistentHashingLbConfig) commonOut.consistentHashingLbConfig = consistentHashingLbConfig;
  cluster.commonLbConfig = commonOut;
  if (kind === 'leastRequest') cluster.leastRequestLbConfig = { choiceCount, ...(slowStartConfig ? { slowStartConfig } : {}) };
  if (kind === 'roundRobin' && slowStartConfig) cluster.roundRobinLbConfig = { slowStartConfig };
  if (kind === 'ringHash' && (minimumRingSize || maximumRingSize)) {
    cluster.ringHashLbConfig = { ...(minimumRingSize ? { minimumRingSize } : {}), ...(maximumRingSize ? { maximumRingSize } : {}) };
  }
  return { cluster, warnings };
}
