import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  /** The folder holding the files below; the test removes it. */
  dir: string;
  /** CA bundle files: the CA that signed the server certificate, and an unrelated one. */
  rightCa: string;
  wrongCa: string;
  serverCert: string;
  serverKey: string;
}

/** Two CAs and a server certificate for `san` signed by the first, made with `openssl` at test time. */
export function makePki(san: string): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-xds-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  for (const ca of ['right', 'wrong']) {
    run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${ca}.key`);
    run('req', '-x509', '-new', '-key', `${ca}.key`, '-sha256', '-days', '2', '-subj', `/CN=${ca} CA`, '-out', `${ca}.crt`);
  }
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key');
  run('req', '-new', '-key', 'server.key', '-subj', '/CN=upstream', '-out', 'server.csr');
  writeFileSync(join(dir, 'server.ext'), `subjectAltName=DNS:${san}\n`);
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'right.crt',
    '-CAkey',
    'right.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-sha256',
    '-extfile',
    'server.ext',
    '-out',
    'server.crt',
  );
  return {
    dir,
    rightCa: join(dir, 'right.crt'),
    wrongCa: join(dir, 'wrong.crt'),
    serverCert: readFileSync(join(dir, 'server.crt'), 'utf8'),
    serverKey: readFileSync(join(dir, 'server.key'), 'utf8'),
  };
}
