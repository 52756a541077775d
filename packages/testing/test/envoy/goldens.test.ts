// Envoy is the judge (docs/envoy.md): every golden output in the repository is loaded by a real
// Envoy in `--mode validate`, inside a bootstrap that holds its clusters and assignments (and the
// static secrets they name, such as SYSTEM_CA_CERT).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import {
  envoyForTests,
  mapLimit,
  staticValidationSecrets,
  SYSTEM_CA_BUNDLE,
  validateBootstrap,
  validationBootstrap,
  type EnvoyResources,
} from '@backendkit/testing/envoy';

const root = join(__dirname, '..', '..', '..', '..');

function goldenFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return goldenFiles(path);
    return entry.name.endsWith('.golden.json') ? [path] : [];
  });
}

// Golden outputs of a translation: an object with clusters (and EDS assignments). Other golden
// files (a discovered-Backend listing, diagnostics) hold no Envoy configuration.
function envoyResources(file: string): EnvoyResources | undefined {
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('clusters' in json)) return undefined;
  return json as EnvoyResources;
}

const goldens = [...goldenFiles(join(root, 'packages')), ...goldenFiles(join(root, 'examples'))].sort().flatMap((file) => {
  const resources = envoyResources(file);
  return resources && (resources.clusters?.length ?? 0) + (resources.assignments?.length ?? 0) > 0 ? [{ name: relative(root, file), resources }] : [];
});

const envoy = envoyForTests();

(envoy ? describe : describe.skip)('every golden output loads in Envoy', () => {
  it('finds the goldens of every package and the examples', () => {
    const folders = new Set(goldens.map((g) => g.name.split('/').slice(0, 2).join('/')));
    for (const folder of [
      'packages/static',
      'packages/kubernetes',
      'packages/aws-ec2',
      'packages/aws-lambda',
      'packages/http2',
      'packages/policies',
      'examples/custom-plugin',
    ]) {
      expect(folders).toContain(folder);
    }
  });

  it('the system CA bundle the stand-in validation secrets trust exists', () => {
    // BackendTLSPolicy's wellKnownCACertificates: System clusters name the SYSTEM_CA_CERT secret.
    expect(goldens.some((g) => staticValidationSecrets(g.resources.clusters ?? []).includes('SYSTEM_CA_CERT'))).toBe(true);
    expect(existsSync(SYSTEM_CA_BUNDLE)).toBe(true);
  });

  it('envoy --mode validate accepts each of them', async () => {
    // One bootstrap per golden, so a refusal names its golden; several Envoys at a time.
    const results = await mapLimit(goldens, Math.max(2, availableParallelism()), async (golden) => ({
      name: golden.name,
      ...(await validateBootstrap(envoy as string, validationBootstrap(golden.resources))),
    }));
    const refused = results.filter((r) => !r.ok).map((r) => `${r.name}:\n${r.output}`);
    if (refused.length > 0) throw new Error(`Envoy refused ${refused.length} of ${results.length} goldens:\n\n${refused.join('\n\n')}`);
    expect(results.length).toBe(goldens.length);
  }, 120_000);
});
