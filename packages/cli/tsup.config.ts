import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

// The command is built twice (docs/cli.md, "How the command starts"): bin.js chooses run.js (ES
// modules, the packages imported as installed) or run-standalone.cjs (one file). The build script
// empties dist first: the three builds run at once, and tsup's `clean` in one would race the others.
/**
 * What the self-contained build leaves to `require` at run time: packages loaded only when a run
 * needs them (the AWS SDK, protobuf-es and the generated Envoy types, gRPC for `serve`), and
 * nothing of ours but the generated types. Everything else is in the file.
 */
const LOADED_WHEN_NEEDED = /^(?!@aws-sdk\/|@smithy\/|@bufbuild\/|@backendkit\/xds-types(\/|$)|@grpc\/)/;

/**
 * Core loads `yaml` and `reflect-metadata` with a `require` of its own (packages/core/src/lazy-require.ts),
 * which a bundler cannot follow. In the self-contained build those two calls are written out, so the
 * file holds both packages; anything else core requires is resolved at run time, as before.
 */
const bundleCoreRequires: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'bundle-core-requires',
  setup(build) {
    build.onLoad({ filter: /[\\/]core[\\/]src[\\/]lazy-require\.ts$/ }, () => ({
      loader: 'ts',
      contents: [
        "import { createRequire } from 'node:module';",
        'const atRunTime = createRequire(import.meta.url);',
        "export const requireHere = ((id: string) => (id === 'yaml' ? require('yaml') : id === 'reflect-metadata' ? require('reflect-metadata') : atRunTime(id))) as NodeJS.Require;",
      ].join('\n'),
    }));
  },
};

/**
 * The license texts (and notices) of the packages the self-contained build holds, beside it in
 * dist: they travel with the code, as those licenses ask. The list is esbuild's, of what went into
 * the file.
 */
function writeNotices(): void {
  const metafile = join('dist', 'metafile-cjs.json');
  const { outputs } = JSON.parse(readFileSync(metafile, 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const packages = new Map<string, string>();
  for (const output of Object.values(outputs)) {
    for (const input of Object.keys(output.inputs)) {
      const found = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
      if (found) packages.set(found[2]!, found[1]!);
    }
  }
  const sections = [...packages]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, dir]) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; license?: string };
      const texts = readdirSync(dir)
        .filter((file) => /^(licen[cs]e|notice|copying|copyrightnotice)/i.test(file))
        .sort()
        .map((file) => `\`\`\`\n${readFileSync(join(dir, file), 'utf8').trim()}\n\`\`\`\n`);
      if (texts.length === 0) throw new Error(`${name} has no license file to ship with run-standalone.cjs`);
      return [`## ${name} ${manifest.version} (${manifest.license ?? 'see below'})\n`, ...texts].join('\n');
    });
  const header =
    '# Licenses of the packages inside run-standalone.cjs\n\nThe self-contained build of the command (docs/cli.md, "How the command starts") holds these packages.\n';
  writeFileSync(join('dist', 'run-standalone.licenses.md'), [header, ...sections].join('\n'));
  rmSync(metafile);
}

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  },
  {
    entry: ['src/bin.ts', 'src/run.ts'],
    format: ['esm'],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    entry: { 'run-standalone': 'src/run.ts' },
    format: ['cjs'],
    platform: 'node',
    noExternal: [LOADED_WHEN_NEEDED],
    // import.meta.url inside the bundled packages (core's lazy require) is this file's URL.
    shims: true,
    esbuildPlugins: [bundleCoreRequires],
    metafile: true,
    onSuccess: async () => writeNotices(),
  },
]);
