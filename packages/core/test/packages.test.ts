import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// What npm users see of every package (issue 16, "Packages"): metadata, a licence, README links that
// work on the npm site, and the shared libraries as peers so that the application's one copy is used.

const root = join(__dirname, '..', '..');
const names = readdirSync(root).filter((name) => existsSync(join(root, name, 'package.json')));
const PEERS = ['tsyringe', 'reflect-metadata', 'zod', '@bufbuild/protobuf'];

interface Manifest {
  name: string;
  license?: string;
  repository?: { type: string; url: string; directory: string };
  engines?: { node?: string };
  sideEffects?: unknown;
  exports: Record<string, unknown>;
  files: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

describe.each(names)('packages/%s', (name) => {
  const manifest = JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8')) as Manifest;

  test('license, repository, engines, sideEffects and a ./package.json export', () => {
    expect(manifest.license).toBe('Apache-2.0');
    expect(readFileSync(join(root, name, 'LICENSE'), 'utf8')).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'LICENSE', 'README.md']));
    expect(manifest.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/.+\.git$/), directory: `packages/${name}` });
    expect(manifest.engines?.node).toBe('>=20');
    expect(manifest.sideEffects === false || Array.isArray(manifest.sideEffects)).toBe(true);
    expect(manifest.exports['./package.json']).toBe('./package.json');
  });

  test('the README links absolutely and points at nothing unshipped', () => {
    const readme = readFileSync(join(root, name, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.filter((link) => !/^https:\/\//.test(link) && !link.startsWith('#'))).toEqual([]);
  });

  test('tsyringe, reflect-metadata, zod and @bufbuild/protobuf are peers of libraries, never bundled dependencies', () => {
    const bundled = PEERS.filter((dep) => manifest.dependencies?.[dep] !== undefined);
    if (name === 'cli') {
      // An application: it brings its own copy, which satisfies the peers of the libraries it uses.
      expect(bundled).toEqual(PEERS);
      return;
    }
    expect(bundled).toEqual([]);
    for (const [dep, range] of Object.entries(manifest.peerDependencies ?? {})) expect(manifest.devDependencies?.[dep]).toBe(range);
  });
});
