// The system CA secret, shared by the plugins that name it and the hosts that provide it (a
// bootstrap, an xDS server): one name and one default bundle (docs/xds-server.md, "SDS: the system CA").

/** The SDS secret that clusters trusting the system CAs name (kgateway's `wellKnownCACertificates: System`). */
export const SYSTEM_CA_SECRET_NAME = 'SYSTEM_CA_CERT';

/** Where Debian, Ubuntu and Alpine keep the system CA bundle: the default of every `bundlePath` option. */
export const DEFAULT_SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

const SECRET_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';

/**
 * The `SYSTEM_CA_CERT` secret: a validation context whose trusted CA is the bundle file Envoy reads
 * from `bundlePath`. Proto3 JSON of `envoy.extensions.transport_sockets.tls.v3.Secret`; `typed` adds
 * the `@type` for an `Any`.
 */
export function systemCaSecret(options: { bundlePath?: string; typed?: boolean } = {}): Record<string, unknown> {
  const secret = { name: SYSTEM_CA_SECRET_NAME, validationContext: { trustedCa: { filename: options.bundlePath ?? DEFAULT_SYSTEM_CA_BUNDLE } } };
  return options.typed ? { '@type': SECRET_TYPE, ...secret } : secret;
}
