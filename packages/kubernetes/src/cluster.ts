import type { ClusterJson } from '@backendkit/core';

/**
 * SPEC §3.3: the cluster shape of a Service port. Endpoints arrive over ADS as a ClusterLoadAssignment
 * named like the cluster; locality-weighted balancing keeps traffic spread by zone weights.
 */
export function edsCluster(): ClusterJson {
  return {
    type: 'EDS',
    edsClusterConfig: { edsConfig: { ads: {}, resourceApiVersion: 'V3' } },
    // Removed endpoints leave at once even when health checks still pass them.
    ignoreHealthOnHostRemoval: true,
    commonLbConfig: { localityWeightedLbConfig: {} },
  };
}
