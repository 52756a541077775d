#!/usr/bin/env node
// CI (after `pnpm build`): what a user of the npm packages gets. Packs every package, installs the
// tarballs with plain npm into a throwaway ESM project and a CJS project (one install each; the
// packages' third-party dependencies at the lockfile's versions, `lockedThirdParty`), then in
// each: type-checks with TypeScript 6 and 7 under `nodenext` and `bundler`, runs a translation, runs
// the installed `backendkit` from a subfolder. Then, in a third empty folder, it follows the set-up of
// docs/plugins.md section 1 exactly as written there (the blocks marked `setup`): the install lines
// against the tarballs, the files, a custom plugin's tests with @backendkit/testing under jest (ts-jest)
// and `node --import tsx --test`. Prints the time of each step. BACKENDKIT_PACK_KEEP=1 keeps the
// temporary folder. See docs/getting-started.md and docs/plugins.md.
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'backendkit-pack-'));
const tarballs = join(work, 'tarballs');
const started = performance.now();

// The third-party versions a user would install next to the packages: the TypeScript majors we
// support (7 is the native compiler), ts-jest's pinned TypeScript 6, jest and tsx.
const TOOLS = {
  typescript: '6.0.3',
  typescript7: 'npm:typescript@^7.0.2',
  '@types/node': '^20.19.43',
};

/**
 * The third-party packages our packages depend on (`dependencies` and `peerDependencies`), at the
 * versions the repository's lockfile resolved them to, as npm `overrides` for the throwaway
 * projects: they then install what the repository was tested with, not whatever the registry
 * offers newest that day, which may depend on a version the registry cannot serve (an AWS SDK
 * client published before the middleware it names: CONTRIBUTING.md, "The packed packages"). Their own
 * dependencies still resolve from the registry, as a user's would.
 */
function lockedThirdParty() {
  const listed = JSON.parse(run('pnpm', ['-r', 'list', '--json', '--depth', '0'], repo));
  const locked = {};
  for (const entry of listed) {
    if (!entry.name?.startsWith('@backendkit/') || !entry.path?.startsWith(join(repo, 'packages'))) continue;
    const manifest = JSON.parse(readFileSync(join(entry.path, 'package.json'), 'utf8'));
    const resolved = { ...entry.devDependencies, ...entry.dependencies };
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      const version = resolved[name]?.version;
      if (name.startsWith('@backendkit/') || name in TOOLS || !version) continue;
      if (locked[name] && locked[name] !== version) throw new Error(`${name} is locked at ${locked[name]} and ${version}`);
      locked[name] = version;
    }
  }
  return locked;
}

function step(name, fn) {
  const t = performance.now();
  try {
    fn();
  } catch (error) {
    const output = [error.stdout, error.stderr].filter(Boolean).map(String).join('\n');
    console.error(`pack-check: ${name} failed\n${output || error.message}`);
    console.error(`(kept ${work})`);
    process.exit(1);
  }
  console.log(`pack-check: ${name} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
}

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });

function write(dir, files) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

// --- pack
let packed = [];
step('pnpm pack every package', () => {
  mkdirSync(tarballs);
  for (const name of readdirSync(join(repo, 'packages'))) run('pnpm', ['pack', '--pack-destination', tarballs], join(repo, 'packages', name));
  packed = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
  if (packed.length !== readdirSync(join(repo, 'packages')).length) throw new Error(`packed ${packed.length} tarballs`);
});
let locked = {};
step("the lockfile's versions of third-party dependencies", () => {
  locked = lockedThirdParty();
  // Every package but xds-types depends on something third-party: an empty list means the listing changed shape.
  if (Object.keys(locked).length === 0) throw new Error('pnpm list gave no third-party dependency of the packages');
});
const packageName = (file) => `@backendkit/${file.replace(/^backendkit-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '')}`;
const tarballDeps = Object.fromEntries(packed.map((file) => [packageName(file), `file:${join(tarballs, file)}`]));

// --- the code a user writes
const BACKENDS = `apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: web}
spec:
  static:
    hosts: [{host: web.example.com, port: 80}]
`;

const typed = (importLine) => `${importLine}
const translator = createDefaultTranslator();
const result: TranslationResult = translator.translateText(text, { file: 'backends.yaml' });
const names: string[] = result.clusters.map((c) => c.name);
const guard: boolean = isDuplicatePluginError(new Error('x'));
const diagnostics: Diagnostic[] = runTranslation(text, { plugins: builtinPlugins() }).result.diagnostics;
console.log(JSON.stringify({ names, guard, diagnostics: diagnostics.length, cluster: cluster.ClusterSchema.typeName }));
`;
const TEXT = `const text = ${JSON.stringify(BACKENDS)};`;
const IMPORTS = [
  "import { isDuplicatePluginError, type Diagnostic, type TranslationResult } from '@backendkit/core';",
  "import { builtinPlugins, createDefaultTranslator } from '@backendkit/preset';",
  "import { runTranslation } from '@backendkit/testing';",
  "import { cluster } from '@backendkit/xds-types';",
].join('\n');

const tsconfig = (module, moduleResolution) =>
  JSON.stringify({
    compilerOptions: { target: 'ES2022', module, moduleResolution, strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
    include: ['src/typed.ts'],
  });

function project(name, type, extra) {
  const dir = join(work, name);
  write(dir, {
    'package.json': JSON.stringify(
      { name: `pack-check-${name}`, private: true, type, dependencies: { ...tarballDeps, ...TOOLS, ...extra }, overrides: locked },
      null,
      2,
    ),
    'backends.yaml': BACKENDS,
    'src/typed.ts': typed(`${IMPORTS}\n${TEXT}`),
    'tsconfig.nodenext.json': tsconfig('nodenext', 'nodenext'),
    'tsconfig.bundler.json': tsconfig('esnext', 'bundler'),
    'sub/.keep': '',
  });
  step(`${name}: npm install (${Object.keys(tarballDeps).length} tarballs)`, () => run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir));
  for (const [ts, bin] of [
    ['TypeScript 6', 'typescript/bin/tsc'],
    ['TypeScript 7', 'typescript7/bin/tsc'],
  ]) {
    for (const mode of ['nodenext', 'bundler']) {
      step(`${name}: ${ts} type-checks under ${mode}`, () => run(process.execPath, [join(dir, 'node_modules', bin), '-p', `tsconfig.${mode}.json`], dir));
    }
  }
  return dir;
}

function expectTranslation(output) {
  const parsed = JSON.parse(output.trim().split('\n').at(-1));
  if (
    JSON.stringify(parsed) !== JSON.stringify({ names: ['backend_default_web_0'], guard: false, diagnostics: 0, cluster: 'envoy.config.cluster.v3.Cluster' })
  ) {
    throw new Error(`unexpected translation: ${output}`);
  }
}

function runBinFromSubfolder(dir) {
  const bin = join(dir, 'node_modules', '.bin', 'backendkit');
  const out = run(bin, ['translate', '../backends.yaml', '--quiet'], join(dir, 'sub'));
  const names = JSON.parse(out).clusters.map((c) => c.name);
  if (names.join() !== 'backend_default_web_0') throw new Error(`backendkit translate printed clusters ${names}`);
  const version = run(bin, ['--version'], join(dir, 'sub')).trim();
  if (!/^\d+\.\d+\.\d+/.test(version)) throw new Error(`backendkit --version printed ${version}`);
  run(bin, ['validate', '../backends.yaml', '--quiet'], join(dir, 'sub'));
  // A --plugin run takes the ES-module build, whose packages the plugin shares (docs/cli.md, "How the command starts").
  writeFileSync(
    join(dir, 'sub', 'lb.mjs'),
    "import { definePlugin } from '@backendkit/core';\nexport default definePlugin({ name: 'check/lb', extend: () => ({ cluster: { lbPolicy: 'RANDOM' } }) });\n",
  );
  const withPlugin = JSON.parse(run(bin, ['translate', '../backends.yaml', '--plugin', './lb.mjs', '--quiet'], join(dir, 'sub')));
  if (withPlugin.clusters[0]?.lbPolicy !== 'RANDOM') throw new Error(`backendkit translate --plugin printed ${JSON.stringify(withPlugin.clusters)}`);
}

// --- ESM
const esm = project('esm', 'module', {});
write(esm, {
  'src/main.mjs': `import { builtinPlugins, createDefaultTranslator } from '@backendkit/preset';\nimport { isDuplicatePluginError } from '@backendkit/core';\nimport { runTranslation } from '@backendkit/testing';\nimport { cluster } from '@backendkit/xds-types';\n${TEXT}\nconst result = createDefaultTranslator().translateText(text, { file: 'backends.yaml' });\nconsole.log(JSON.stringify({ names: result.clusters.map((c) => c.name), guard: isDuplicatePluginError(new Error('x')), diagnostics: runTranslation(text, { plugins: builtinPlugins() }).result.diagnostics.length, cluster: cluster.ClusterSchema.typeName }));\n`,
});
step('esm: a translation runs', () => expectTranslation(run(process.execPath, ['src/main.mjs'], esm)));
step('esm: the installed backendkit runs from a subfolder', () => runBinFromSubfolder(esm));

// --- CJS: require() gets the CJS builds
const cjs = project('cjs', 'commonjs', {});
write(cjs, {
  'src/main.cjs': `const { builtinPlugins, createDefaultTranslator } = require('@backendkit/preset');\nconst { isDuplicatePluginError } = require('@backendkit/core');\nconst { runTranslation } = require('@backendkit/testing');\nconst { cluster } = require('@backendkit/xds-types');\n${TEXT}\nconst result = createDefaultTranslator().translateText(text, { file: 'backends.yaml' });\nconsole.log(JSON.stringify({ names: result.clusters.map((c) => c.name), guard: isDuplicatePluginError(new Error('x')), diagnostics: runTranslation(text, { plugins: builtinPlugins() }).result.diagnostics.length, cluster: cluster.ClusterSchema.typeName }));\n`,
});
step('cjs: a translation runs', () => expectTranslation(run(process.execPath, ['src/main.cjs'], cjs)));
step('cjs: the installed backendkit runs from a subfolder', () => runBinFromSubfolder(cjs));

// --- docs/plugins.md, section 1, as written
const guide = join(work, 'plugin-guide');
mkdirSync(guide);
for (const block of setupBlocks(readFileSync(join(repo, 'docs', 'plugins.md'), 'utf8'))) {
  if (block.file) {
    write(guide, { [block.file]: block.text });
    continue;
  }
  for (const line of commandLines(block.text)) {
    const command = withTarballs(line);
    step(`plugin guide: ${line}`, () => run('sh', ['-c', command], guide));
  }
}

if (process.env.BACKENDKIT_PACK_KEEP) console.log(`pack-check: kept ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(`pack-check: passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);

/**
 * The fenced blocks of a markdown page marked `setup` in their info string, in page order:
 * ` ```sh setup ` (commands) or ` ```ts setup=src/plugin.ts ` (a file's whole text).
 */
function setupBlocks(markdown) {
  const blocks = [...markdown.matchAll(/^```\w* setup(?:=(\S+))?\n([\s\S]*?)^```$/gm)].map((m) => ({ file: m[1], text: m[2] }));
  if (!blocks.some((b) => !b.file)) throw new Error('docs/plugins.md: no `sh setup` block');
  return blocks;
}

/** A shell block's commands: one a line, comments and blank lines left out. */
function commandLines(text) {
  return text.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

/** `npm i @backendkit/core ...` installs the packed tarball of each backendkit package it names. */
function withTarballs(line) {
  if (!/^npm (i|install)\b/.test(line)) return line;
  return line.replace(/@backendkit\/[a-z0-9-]+/g, (name) => {
    if (!tarballDeps[name]) throw new Error(`docs/plugins.md installs ${name}, which is not a package here`);
    return tarballDeps[name].slice('file:'.length);
  });
}
