import { createRegistry } from '@bufbuild/protobuf';
import { clusterSideFiles } from './gen/cluster-files';
import { withDependencies } from './dependencies';

/**
 * The files of the cluster side (`./clusters`, listed once in scripts/sources.mjs) and everything they
 * import: what a `Cluster` or a `ClusterLoadAssignment` and the extensions in their `Any` fields
 * resolve against. An `Any` naming a type outside it (a `Listener`, a `Bootstrap`, a discovery
 * message) is unknown here, as it is to Envoy in a cluster; `registry` (the package root) has every
 * file. The schema table (`./schema-table`) describes the same files.
 */
export const clusterRegistry = createRegistry(...withDependencies(clusterSideFiles));
