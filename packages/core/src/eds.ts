import type { ClusterJson } from './plugin';

/**
 * docs/kubernetes.md: the cluster shape of every EDS backend (every plugin whose endpoints are discovered).
 * Endpoints arrive over ADS as a ClusterLoadAssignment named like the cluster; locality-weighted
 * balancing keeps traffic spread by the localities' weights.
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
