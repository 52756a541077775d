import { definePlugin, type BackendPlugin, type ClusterJson } from '@backendkit/core';
import { frozenJson } from '@backendkit/core/helpers';

/** The `typedExtensionProtocolOptions` key Envoy reads upstream HTTP settings from. */
export const HTTP_PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
// Written out rather than taken from @backendkit/xds-types, which this package does not depend on;
// a test checks it against the generated schema.
export const HTTP_PROTOCOL_OPTIONS_TYPE = `type.googleapis.com/${HTTP_PROTOCOL_OPTIONS_KEY}`;

/** docs/http2.md: the appProtocol values that mean "speak HTTP/2 to the upstream" (compared case-insensitively). */
export const HTTP2_APP_PROTOCOLS = ['http2', 'grpc', 'grpc-web', 'kubernetes.io/h2c'] as const;

/** Whether an appProtocol asks for upstream HTTP/2. `kubernetes.io/ws` and unknown values do not. */
export function wantsHttp2(appProtocol: string | undefined): boolean {
  if (appProtocol === undefined) return false;
  const value = appProtocol.toLowerCase();
  return HTTP2_APP_PROTOCOLS.some((p) => p === value);
}

/**
 * The one fragment this plugin gives, frozen and with `@type` last (as `toJson` writes it): the strict
 * check walks its options once and the result shares them (`frozenJson`).
 */
const HTTP2_CLUSTER: ClusterJson = frozenJson({
  typedExtensionProtocolOptions: { [HTTP_PROTOCOL_OPTIONS_KEY]: { explicitHttpConfig: { http2ProtocolOptions: {} }, '@type': HTTP_PROTOCOL_OPTIONS_TYPE } },
});

/**
 * docs/http2.md, a feature plugin: any cluster whose appProtocol (a static Backend's `appProtocol`, a Service
 * port's `appProtocol` or else its name) asks for HTTP/2 gets upstream HttpProtocolOptions with explicit
 * HTTP/2. Core merges this message field by field with what other plugins put under the same key, and
 * reports a plugin that asks for another HTTP version as a conflict.
 */
export function http2Plugin(): BackendPlugin {
  return definePlugin({
    name: '@backendkit/http2',
    extend(target) {
      if (!wantsHttp2(target.appProtocol)) return undefined;
      return { cluster: HTTP2_CLUSTER };
    },
  });
}
