import { fromJson, type JsonObject } from '@bufbuild/protobuf';
import type { EnvoyCluster } from '@backendkit/core';
import { DEFAULT_SYSTEM_CA_BUNDLE, SYSTEM_CA_SECRET_NAME, systemCaSecret } from '@backendkit/core/helpers';
import { secret } from '@backendkit/xds-types';
import { xdsResource, type XdsResource } from './resource';

// The secret's name and default bundle are core's, shared with the plugins that name it
// (docs/xds-server.md, "SDS: the system CA").
export { DEFAULT_SYSTEM_CA_BUNDLE, SYSTEM_CA_SECRET_NAME };

/**
 * The SDS resource `SYSTEM_CA_CERT`: a validation context trusting the CA bundle at `bundlePath`, a
 * file Envoy reads (the proxy's own system bundle by default, as with kgateway's static secret).
 */
export function systemCaSecretResource(bundlePath: string = DEFAULT_SYSTEM_CA_BUNDLE): XdsResource {
  return xdsResource(secret.SecretSchema, fromJson(secret.SecretSchema, systemCaSecret({ bundlePath }) as JsonObject));
}

type Json = { [key: string]: unknown };

const ADS = { ads: {}, resourceApiVersion: 'V3' };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A name-only reference to the system CA, which Envoy would look up in its static secrets only. */
function staticReference(value: unknown): boolean {
  return isObject(value) && value.name === SYSTEM_CA_SECRET_NAME && value.sdsConfig === undefined;
}

/** `value` with every name-only `SYSTEM_CA_CERT` reference given an ADS `sdsConfig`; the same object when there is none. */
function withAds(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(withAds);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (!isObject(value)) return value;
  let copy: Json | undefined;
  for (const [key, field] of Object.entries(value)) {
    const next = key === 'validationContextSdsSecretConfig' && staticReference(field) ? { ...(field as Json), sdsConfig: ADS } : withAds(field);
    if (next !== field) (copy ??= { ...value })[key] = next;
  }
  return copy ?? value;
}

const rewritten = new WeakMap<object, EnvoyCluster>();

/**
 * The cluster with its `SYSTEM_CA_CERT` validation context fetched over ADS (`sdsConfig: {ads: {}}`)
 * instead of from the bootstrap's static secrets, wherever it sits (TLS socket, PROXY-protocol
 * wrapper, transport socket matches). The same object when it names no such secret; kept per cluster.
 */
export function systemCaOverAds(cluster: EnvoyCluster): EnvoyCluster {
  let result = rewritten.get(cluster);
  if (!result) {
    result = withAds(cluster) as EnvoyCluster;
    rewritten.set(cluster, result);
  }
  return result;
}
