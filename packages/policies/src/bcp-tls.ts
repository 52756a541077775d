import type { SecretData } from '@backendkit/core';
import type { BcpTls } from './bcp-schema';
import { checkKeyPair, reencodeCertificates } from './pem';
import { tlsSocket, validation } from './tls-context';

type Json = Record<string, unknown>;

const VERSIONS: Record<string, string | undefined> = { AUTO: undefined, '1.0': 'TLSv1_0', '1.1': 'TLSv1_1', '1.2': 'TLSv1_2', '1.3': 'TLSv1_3' };

export interface BuiltTls {
  socket?: Json;
  errors: string[];
  /** The private key: never printed. */
  sensitive: string[];
}

/**
 * A BackendConfigPolicy's `tls` as an UpstreamTlsContext (docs/backend-config-policy.md, "tls").
 * `secret` is the Secret of `secretRef`, read by the caller (undefined when missing).
 */
export function buildBcpTls(tls: BcpTls, secret: SecretData | undefined, namespace: string): BuiltTls {
  const errors: string[] = [];
  const sensitive: string[] = [];
  let certChain: Json | undefined;
  let privateKey: Json | undefined;
  let rootCa: Json | undefined;
  if (tls.secretRef) {
    if (!secret) return { errors: [`failed to extract TLS data: Secret ${namespace}/${tls.secretRef.name} not found`], sensitive };
    const crt = secret['tls.crt'];
    const key = secret['tls.key'];
    const ca = secret['ca.crt'];
    if (key) sensitive.push(key);
    if (crt && key) {
      const problem = checkKeyPair(crt, key);
      const cleaned = reencodeCertificates(crt);
      if (problem) errors.push(`invalid certificate and key pair: ${problem}`);
      else if ('error' in cleaned) errors.push(`invalid certificate and key pair: ${cleaned.error}`);
      else {
        certChain = { inlineString: cleaned.pem };
        privateKey = { inlineString: key };
      }
    } else if (crt || key) {
      errors.push('invalid TLS config: for if providing a client certificate, both certChain and privateKey must be provided');
    }
    if (ca) rootCa = { inlineString: ca };
  } else if (tls.files) {
    const { tlsCertificate, tlsKey, rootCA } = tls.files;
    // Paths, not PEM: Envoy reads and checks them when it loads the cluster (docs: "files").
    if (tlsCertificate && tlsKey) {
      certChain = { filename: tlsCertificate };
      privateKey = { filename: tlsKey };
    } else if (tlsCertificate || tlsKey) {
      errors.push('invalid TLS config: for if providing a client certificate, both certChain and privateKey must be provided');
    }
    if (rootCA) rootCa = { filename: rootCA };
  }
  const sans = (tls.verifySubjectAltNames ?? []).map((value) => ({ type: 'DNS' as const, value }));
  const systemCa = tls.wellKnownCACertificates === 'System';
  if (!systemCa && !tls.insecureSkipVerify && sans.length > 0 && !rootCa) {
    errors.push('a root_ca must be provided if verify_subject_alt_name is not empty');
  }
  if (errors.length > 0) return { errors, sensitive };

  const common: Json = {};
  if (tls.parameters) common.tlsParams = tlsParams(tls.parameters);
  if (certChain && privateKey && !tls.simpleTLS) common.tlsCertificates = [{ certificateChain: certChain, privateKey }];
  Object.assign(
    common,
    tls.insecureSkipVerify ? validation({ sans: [], empty: true }) : validation({ systemCa, ...(rootCa ? { trustedCa: rootCa } : {}), sans }),
  );
  if (tls.alpnProtocols && tls.alpnProtocols.length > 0) common.alpnProtocols = tls.alpnProtocols;
  const context: Json = { commonTlsContext: common };
  if (tls.sni) context.sni = tls.sni;
  if (tls.allowRenegotiation) context.allowRenegotiation = true;
  return { socket: tlsSocket(context), errors, sensitive };
}

function tlsParams(p: NonNullable<BcpTls['parameters']>): Json {
  const out: Json = {};
  const min = p.minVersion && VERSIONS[p.minVersion];
  const max = p.maxVersion && VERSIONS[p.maxVersion];
  if (min) out.tlsMinimumProtocolVersion = min;
  if (max) out.tlsMaximumProtocolVersion = max;
  if (p.cipherSuites?.length) out.cipherSuites = p.cipherSuites;
  if (p.ecdhCurves?.length) out.ecdhCurves = p.ecdhCurves;
  if (p.signatureAlgorithms?.length) out.signatureAlgorithms = p.signatureAlgorithms;
  return out;
}
