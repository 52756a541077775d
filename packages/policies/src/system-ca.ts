import { SECRET_TYPE, SYSTEM_CA_SECRET } from './envoy-names';

/** Where Debian, Ubuntu and Alpine keep the system CA bundle (the default of `systemCaSecret`). */
export const DEFAULT_SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * The SDS `Secret` that `wellKnownCACertificates: System` points at (`SYSTEM_CA_CERT`): a validation
 * context whose trusted CA is the system bundle, read by Envoy from `bundlePath`. The clusters name it
 * without `sdsConfig`, so it belongs in a bootstrap's `staticResources.secrets` (docs/cli.md). Proto3 JSON of
 * `envoy.extensions.transport_sockets.tls.v3.Secret`; `typed` adds the `@type` for an `Any`.
 */
export function systemCaSecret(options: { bundlePath?: string; typed?: boolean } = {}): Record<string, unknown> {
  const secret = { name: SYSTEM_CA_SECRET, validationContext: { trustedCa: { filename: options.bundlePath ?? DEFAULT_SYSTEM_CA_BUNDLE } } };
  return options.typed ? { '@type': SECRET_TYPE, ...secret } : secret;
}
