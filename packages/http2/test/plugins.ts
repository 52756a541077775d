import type { BackendPlugin, ClusterJson } from '@backendkit/core';
import { HTTP_PROTOCOL_OPTIONS_KEY, HTTP_PROTOCOL_OPTIONS_TYPE, wantsHttp2 } from '@backendkit/http2';

/** A cluster fragment holding only upstream HttpProtocolOptions with these fields. */
export function httpOptions(fields: Record<string, unknown>): ClusterJson {
  return { typedExtensionProtocolOptions: { [HTTP_PROTOCOL_OPTIONS_KEY]: { '@type': HTTP_PROTOCOL_OPTIONS_TYPE, ...fields } } };
}

/**
 * Test feature plugin: an upstream idle timeout on every cluster (other fields of the same message).
 * Envoy requires HttpProtocolOptions to choose an upstream protocol (docs/envoy.md), so where http2
 * does not choose HTTP/2 the plugin says HTTP/1.1, Envoy's default, itself.
 */
export function idleTimeoutPlugin(): BackendPlugin {
  return {
    name: 'test/idle-timeout',
    extend: (target) => ({
      cluster: httpOptions({
        commonHttpProtocolOptions: { idleTimeout: '60s' },
        ...(wantsHttp2(target.appProtocol) ? {} : { explicitHttpConfig: { httpProtocolOptions: {} } }),
      }),
    }),
  };
}

/** Test feature plugin: explicit HTTP/1.1 on every cluster — the other member of http2's oneof. */
export function http1Plugin(): BackendPlugin {
  return { name: 'test/http1', extend: () => ({ cluster: httpOptions({ explicitHttpConfig: { httpProtocolOptions: {} } }) }) };
}

/** Test feature plugin: tunes HTTP/2 on the clusters that speak it — fields inside http2ProtocolOptions. */
export function http2TuningPlugin(): BackendPlugin {
  return {
    name: 'test/http2-tuning',
    extend: (target) =>
      wantsHttp2(target.appProtocol) ? { cluster: httpOptions({ explicitHttpConfig: { http2ProtocolOptions: { maxConcurrentStreams: 100 } } }) } : undefined,
  };
}
