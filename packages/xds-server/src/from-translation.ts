import { type EnvoyAssignment, type EnvoyCluster, type TranslationResult } from '@backendkit/core';
import { assignmentMessage, clusterMessage, packedAny } from '@backendkit/core/envoy';
import { digest, type XdsResource } from './resource';
import { Snapshot } from './snapshot';
import { DEFAULT_SYSTEM_CA_BUNDLE, systemCaOverAds, systemCaSecretResource } from './system-ca';
import { CLUSTER_TYPE, ENDPOINT_TYPE } from './types';

// A result holds clusters and assignments as proto3 JSON (docs/performance.md, "Clusters stay
// JSON"); the message and its binary `Any` are built here, on demand. A re-translation shares the
// JSON of what did not change with the earlier result, so each is built and packed once; versions
// still compare content (a digest of the packed bytes).
const packed = new WeakMap<object, XdsResource>();

function pack(json: EnvoyCluster | EnvoyAssignment, typeUrl: string, name: string, message: () => unknown): XdsResource {
  let resource = packed.get(json);
  if (!resource) {
    const any = packedAny(json);
    resource = { name, typeUrl, any, version: digest(any.value), message: message() };
    packed.set(json, resource);
  }
  return resource;
}

// The resources of the last list packed, by the list's first object: the next translation's list
// is compared with it position by position, so only the objects that changed are looked up (at
// 20,000 clusters, reading every object costs more than the push; docs/performance.md, "From a change to Envoy's ACK").
// `variant` says how the objects were prepared (system CA over ADS or not).
const lastLists = new WeakMap<object, { jsons: readonly object[]; resources: XdsResource[]; variant: string }>();

function packAll<T extends EnvoyCluster | EnvoyAssignment>(
  jsons: readonly T[],
  typeUrl: string,
  variant: string,
  prepare: (json: T) => T,
  name: (json: T) => string,
  message: (json: T) => unknown,
): XdsResource[] {
  if (jsons.length === 0) return [];
  const last = lastLists.get(jsons[0]!);
  const resources: XdsResource[] = new Array<XdsResource>(jsons.length);
  const same = last && last.variant === variant && last.jsons.length === jsons.length ? last : undefined;
  for (let i = 0; i < jsons.length; i++) {
    const json = jsons[i]!;
    if (same && same.jsons[i] === json) resources[i] = same.resources[i]!;
    else {
      const served = prepare(json);
      resources[i] = pack(served, typeUrl, name(served), () => message(served));
    }
  }
  lastLists.set(jsons[0]!, { jsons: [...jsons], resources, variant });
  return resources;
}

// One secret resource per bundle path, so that successive snapshots share it (and its version).
const systemCaSecrets = new Map<string, XdsResource>();

function systemCaSecret(bundle: string): XdsResource {
  let resource = systemCaSecrets.get(bundle);
  if (!resource) {
    resource = systemCaSecretResource(bundle);
    if (systemCaSecrets.size < 16) systemCaSecrets.set(bundle, resource);
  }
  return resource;
}

export interface SnapshotFromTranslationOptions {
  /** A label for the snapshot (logs, events); by default a digest of its content. */
  version?: string;
  /** Resources of other types to serve with the clusters: listeners, routes, secrets. */
  resources?: readonly XdsResource[];
  /**
   * The CA bundle the `SYSTEM_CA_CERT` secret trusts, served over SDS (docs/xds-server.md, "SDS: the
   * system CA"): a file path Envoy reads, by default `/etc/ssl/certs/ca-certificates.crt`. Clusters
   * that name the secret without an `sdsConfig` are given ADS as its source. `false` serves no such
   * secret and leaves the clusters as translated (a bootstrap's static secret then answers).
   */
  systemCaBundle?: string | false;
}

/**
 * The snapshot of a translation: its clusters (CDS), the assignments of its EDS clusters (EDS) and
 * the `SYSTEM_CA_CERT` secret (SDS), plus any other resources given. Types are versioned by content,
 * so after a re-translation where only endpoints changed only EDS is pushed (docs/xds-server.md).
 */
export function snapshotFromTranslation(result: Pick<TranslationResult, 'clusters' | 'assignments'>, options: SnapshotFromTranslationOptions = {}): Snapshot {
  const bundle = options.systemCaBundle ?? DEFAULT_SYSTEM_CA_BUNDLE;
  const overAds = bundle !== false;
  const grouped = new Map<string, XdsResource[]>();
  const clusters = packAll(result.clusters, CLUSTER_TYPE, overAds ? 'ads' : 'static', overAds ? systemCaOverAds : (c) => c, (c) => c.name, clusterMessage);
  const assignments = packAll(
    result.assignments,
    ENDPOINT_TYPE,
    '',
    (a) => a,
    (a) => a.clusterName,
    assignmentMessage,
  );
  if (clusters.length > 0) grouped.set(CLUSTER_TYPE, clusters);
  if (assignments.length > 0) grouped.set(ENDPOINT_TYPE, assignments);
  const extra = overAds ? [systemCaSecret(bundle), ...(options.resources ?? [])] : (options.resources ?? []);
  return new Snapshot(options.version, extra, grouped);
}
