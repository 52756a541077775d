import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM texts for TLS tests through Envoy, made with `openssl` at test time (docs/envoy.md). */
export interface TestPki {
  /** The CA that signed both certificates below. */
  ca: string;
  /** A CA that signed nothing here: a bundle that must not verify them. */
  otherCa: string;
  /** For `san`, with that name as its subjectAltName. */
  serverCert: string;
  serverKey: string;
  /** With `extendedKeyUsage=clientAuth`, for mutual TLS. */
  clientCert: string;
  clientKey: string;
}

/**
 * A CA, an unrelated CA, a server certificate for `san` and a client certificate (P-256, valid two
 * days). Subjects are `CN=<name> server` and `CN=<name> client`, for a test that checks who called.
 */
export function makeTestPki(san: string, name = 'test'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string) => run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
  try {
    for (const ca of ['ca', 'other']) {
      key(ca);
      run('req', '-x509', '-new', '-key', `${ca}.key`, '-sha256', '-days', '2', '-subj', `/CN=${name} ${ca} CA`, '-out', `${ca}.crt`);
    }
    for (const who of ['server', 'client']) {
      key(who);
      run('req', '-new', '-key', `${who}.key`, '-subj', `/CN=${name} ${who}`, '-out', `${who}.csr`);
      writeFileSync(join(dir, `${who}.ext`), who === 'server' ? `subjectAltName=DNS:${san}\n` : 'extendedKeyUsage=clientAuth\n');
      run(
        'x509',
        '-req',
        '-in',
        `${who}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '2',
        '-sha256',
        '-extfile',
        `${who}.ext`,
        '-out',
        `${who}.crt`,
      );
    }
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    return {
      ca: read('ca.crt'),
      otherCa: read('other.crt'),
      serverCert: read('server.crt'),
      serverKey: read('server.key'),
      clientCert: read('client.crt'),
      clientKey: read('client.key'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
