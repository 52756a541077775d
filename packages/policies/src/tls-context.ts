import { SYSTEM_CA_SECRET, TLS_SOCKET, UPSTREAM_TLS_TYPE } from './envoy-names';

type Json = Record<string, unknown>;

export interface SanMatch {
  type: 'DNS' | 'URI';
  value: string;
}

/** The validation part of a CommonTlsContext: a CA (inline or file), SANs, or the system CA over SDS. */
export function validation(opts: { systemCa?: boolean; trustedCa?: Json; sans: readonly SanMatch[]; empty?: boolean }): Json {
  const matchers = opts.sans.map((s) => ({ sanType: s.type, matcher: { exact: s.value } }));
  const sanPart = matchers.length > 0 ? { matchTypedSubjectAltNames: matchers } : {};
  if (opts.systemCa) {
    return { combinedValidationContext: { defaultValidationContext: sanPart, validationContextSdsSecretConfig: { name: SYSTEM_CA_SECRET } } };
  }
  if (opts.trustedCa) return { validationContext: { trustedCa: opts.trustedCa, ...sanPart } };
  return opts.empty ? { validationContext: {} } : {};
}

/** `transportSocket` for upstream TLS. */
export function tlsSocket(context: Json): Json {
  return { name: TLS_SOCKET, typedConfig: { '@type': UPSTREAM_TLS_TYPE, ...context } };
}
