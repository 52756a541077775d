import type { BcpLoadBalancer } from './bcp-schema';
import { LB_POLICY_TYPES } from './envoy-names';
import { COOKIE, CONSISTENT_HASHING, envoyHasField, ZONE_AWARE } from './envoy-api';
import { protoDuration } from './units';

type HashPolicy = NonNullable<NonNullable<BcpLoadBalancer['ringHash']>['hashPolicies']>[number];

/** A hash policy as Envoy's RouteAction.HashPolicy (proto3 JSON). */
export function hashPolicy(h: HashPolicy): Json {
  const out: Json = {};
  if (h.header) out.header = { headerName: h.header.name };
  if (h.cookie) {
    const c = h.cookie;
    const attributes = [
      ...(c.secure ? [{ name: 'Secure', value: 'true' }] : []),
      ...(c.httpOnly ? [{ name: 'HttpOnly', value: 'true' }] : []),
      ...(c.sameSite ? [{ name: 'SameSite', value: c.sameSite }] : []),
    ];
    out.cookie = {
      name: c.name,
      ...(c.path ? { path: c.path } : {}),
      ...(c.ttl ? { ttl: protoDuration(c.ttl) } : {}),
      ...(attributes.length > 0 && envoyHasField(COOKIE, 'attributes') ? { attributes } : {}),
    };
  }
  if (h.sourceIP) out.connectionProperties = { sourceIp: true };
  if (h.terminal) out.terminal = true;
  return out;
}

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
export function buildLb(lb: BcpLoadBalancer, policyName: string, policyNamespace: string, hostnameHashing: boolean): BuiltLb {
  const warnings: string[] = [];
  const common: Json = {};
  if (lb.healthyPanicThreshold !== undefined) common.healthyPanicThreshold = { value: lb.healthyPanicThreshold };
  if (lb.updateMergeWindow !== undefined) common.updateMergeWindow = protoDuration(lb.updateMergeWindow);
  if (lb.closeConnectionsOnHostSetChange !== undefined) common.closeConnectionsOnHostSetChange = lb.closeConnectionsOnHostSetChange;

  const locality = (): Json => {
    const preferLocal = lb.zoneAware?.preferLocal;
    if (!preferLocal) return { localityWeightedLbConfig: {} };
    const zoneAware: Json = { routingEnabled: { value: preferLocal.routingEnabled }, minClusterSize: String(preferLocal.minEndpointsThreshold) };
    if (preferLocal.force) {
      if (envoyHasField(ZONE_AWARE, 'forceLocalZone')) zoneAware.forceLocalZone = { minSize: preferLocal.force.minEndpointsInZoneThreshold };
      else warnings.push('zoneAware.preferLocal.force (forceLocalZone) is not in the Envoy API backendkit is built on: not applied');
    }
    return { zoneAwareLbConfig: zoneAware };
  };
  const slowStart = (s: NonNullable<NonNullable<BcpLoadBalancer['roundRobin']>['slowStart']> | undefined): Json => {
    if (!s) return {};
    const config: Json = {};
    if (s.window) config.slowStartWindow = protoDuration(s.window);
    if (s.aggression !== undefined)
      config.aggression = { defaultValue: Number(s.aggression), runtimeKey: `${policyName}.${policyNamespace}.slowStart.aggression` };
    if (s.minWeightPercent !== undefined) config.minWeightPercent = { value: s.minWeightPercent };
    return { slowStartConfig: config };
  };
  const hashing = (h: { useHostnameForHashing?: boolean | undefined; hashPolicies?: HashPolicy[] | undefined }): Json => {
    const config: Json = {};
    if (h.hashPolicies) {
      if (envoyHasField(CONSISTENT_HASHING, 'hashPolicy')) config.hashPolicy = h.hashPolicies.map(hashPolicy);
      else
        warnings.push(
          'hashPolicies need consistentHashingLbConfig.hashPolicy, which the Envoy API backendkit is built on lacks: not applied (docs/backend-config-policy.md)',
        );
    }
    if (h.useHostnameForHashing) {
      if (hostnameHashing) config.useHostnameForHashing = true;
      else
        warnings.push('useHostnameForHashing works only on STRICT_DNS clusters and DNS clusters without allAddressesInSingleEndpoint: ignored on this cluster');
    }
    return h.useHostnameForHashing || config.hashPolicy ? { consistentHashingLbConfig: config } : {};
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
  const [name, type] = LB_POLICY_TYPES[kind];
  return {
    cluster: { commonLbConfig: common, loadBalancingPolicy: { policies: [{ typedExtensionConfig: { name, typedConfig: { '@type': type, ...config } } }] } },
    warnings,
  };
}
