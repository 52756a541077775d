import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemCaSecret } from '@backendkit/policies';
import { envoyForTests } from './harness';

// Envoy is the judge: every policy golden's clusters (and EDS assignments) loaded by `envoy --mode
// validate`, with the SYSTEM_CA_CERT secret that `wellKnownCACertificates: System` clusters name.
const envoy = envoyForTests();
const maybe = envoy ? describe : describe.skip;
jest.setTimeout(60_000);

const fixtures = join(__dirname, '..', 'fixtures');
const goldens = readdirSync(fixtures).filter((f) => f.endsWith('.golden.json')).sort();

function validate(document: { clusters: unknown[]; endpoints: unknown[] }): Promise<string | undefined> {
  const assignments = document.endpoints.map((loadAssignment, i) => ({ name: `assignment_${i}`, type: 'STATIC', connectTimeout: '1s', loadAssignment }));
  const ads = { name: 'ads', type: 'STATIC', connectTimeout: '1s', loadAssignment: { clusterName: 'ads', endpoints: [] } };
  const bootstrap = {
    node: { id: 'policy-goldens', cluster: 'backendkit' },
    dynamicResources: { adsConfig: { apiType: 'GRPC', transportApiVersion: 'V3', grpcServices: [{ envoyGrpc: { clusterName: 'ads' } }] } },
    staticResources: { clusters: [ads, ...document.clusters, ...assignments], secrets: [systemCaSecret()] },
  };
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-policy-validate-'));
  writeFileSync(join(dir, 'bootstrap.json'), JSON.stringify(bootstrap));
  return new Promise((resolve) =>
    execFile(envoy!, ['--mode', 'validate', '-c', join(dir, 'bootstrap.json'), '--log-level', 'error'], (error, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      resolve(error ? `${stdout}${stderr}`.trim() : undefined);
    }),
  );
}

maybe('policy goldens in envoy --mode validate', () => {
  test.each(goldens)('%s', async (file) => {
    const document = JSON.parse(readFileSync(join(fixtures, file), 'utf8'));
    if (document.clusters.length === 0) return expect(document.diagnostics.some((d: string) => d.startsWith('error:'))).toBe(true);
    expect(await validate(document)).toBeUndefined();
  });
});
