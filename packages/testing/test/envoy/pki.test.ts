import { createPrivateKey, X509Certificate } from 'node:crypto';
import { makeTestPki } from '@backendkit/testing/envoy';

// The shared test PKI (docs/envoy.md): what the TLS tests through Envoy rely on.
test('the server and client certificates are signed by the CA, not by the other one, with the names asked for', () => {
  const pki = makeTestPki('upstream.pki.test', 'unit');
  const ca = new X509Certificate(pki.ca);
  const other = new X509Certificate(pki.otherCa);
  const server = new X509Certificate(pki.serverCert);
  const client = new X509Certificate(pki.clientCert);
  for (const cert of [server, client]) {
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.verify(other.publicKey)).toBe(false);
  }
  expect(server.subjectAltName).toBe('DNS:upstream.pki.test');
  expect(server.checkPrivateKey(createPrivateKey(pki.serverKey))).toBe(true);
  expect(client.subject).toBe('CN=unit client');
  expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
});
