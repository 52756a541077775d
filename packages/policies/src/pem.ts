import { createPrivateKey, X509Certificate } from 'node:crypto';

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The certificates of a PEM bundle, each parsed and written out again (one PEM block each, with a
 * final newline): what kgateway does to certificate chains and BackendTLSPolicy CAs. A message
 * (never the PEM text) when there is none or one does not parse.
 */
export function reencodeCertificates(pem: string): { pem: string } | { error: string } {
  const blocks = pem.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) return { error: 'no PEM certificate found' };
  const out: string[] = [];
  for (const [i, block] of blocks.entries()) {
    try {
      out.push(new X509Certificate(block).toString());
    } catch {
      return { error: `certificate ${i + 1} of the PEM data does not parse` };
    }
  }
  return { pem: out.map((c) => (c.endsWith('\n') ? c : `${c}\n`)).join('') };
}

/** Whether a private key (PEM) belongs to the first certificate of a chain; a message when not. */
export function checkKeyPair(certChain: string, key: string): string | undefined {
  const first = certChain.match(CERT_BLOCK)?.[0];
  if (!first) return 'the certificate holds no PEM certificate';
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(first);
  } catch {
    return 'the certificate does not parse';
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    return 'the private key is not a PEM private key';
  }
  return certificate.checkPrivateKey(privateKey) ? undefined : 'the private key does not match the certificate';
}
