import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, withoutTime } from './built-bin';

// What a small static translation loads (docs/performance.md, "CLI start-up"): the modules the
// built CLI resolves through Node's ESM loader, recorded by a resolve hook, and those it requires
// (protobuf-es is required on first use), recorded by a preloaded wrapper of Module._load.

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

function loadedModules(args: string[], cwd = EXAMPLES): { status: number | null; stdout: string; stderr: string; urls: string[] } {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "pnpm build" first`);
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-modules-'));
  try {
    const log = join(dir, 'modules.log');
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const resolved = await next(specifier, context);\n  appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');\n  return resolved;\n}\n`,
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
    );
    writeFileSync(
      join(dir, 'required.cjs'),
      `const Module = require('node:module');\nconst { appendFileSync } = require('node:fs');\nconst load = Module._load;\nModule._load = function (request, parent, isMain) {\n  const exports = load.apply(this, arguments);\n  try { appendFileSync(${JSON.stringify(log)}, 'require:' + Module._resolveFilename(request, parent, isMain) + '\\n'); } catch {}\n  return exports;\n};\n`,
    );
    writeFileSync(log, '');
    const run = spawnSync(process.execPath, ['--require', join(dir, 'required.cjs'), '--import', pathToFileURL(join(dir, 'register.mjs')).href, BIN, ...args], {
      cwd,
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, urls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STANDALONE = /^require:.*\/cli\/dist\/run-standalone\.cjs$/;
const MODULES = /\/cli\/dist\/run\.js$/;
const CORE_PACKAGE = /\/core\/dist\/index\.c?js$/;

describe('what the CLI loads for a small static translation', () => {
  const { status, urls } = loadedModules(['translate', 'static.yaml']);

  test('the self-contained build runs, with the schema table of the cluster side', () => {
    expect(status).toBe(0);
    expect(urls.filter((u) => STANDALONE.test(u))).toHaveLength(1);
    expect(urls.some((u) => /^require:.*xds-types\/dist\/schema-table\.cjs$/.test(u))).toBe(true);
    // zod, yaml and our packages are inside the file: none is loaded from its package.
    expect(urls.filter((u) => MODULES.test(u) || CORE_PACKAGE.test(u) || /\/(zod|yaml)\//.test(u))).toEqual([]);
  });

  test('no protobuf-es, no generated descriptors, nor tsyringe, the AWS SDK or the xDS server', () => {
    const unwanted = urls.filter((u) => /@bufbuild|xds-types\/dist\/(index|clusters)\.c?js$|\/tsyringe\/|@aws-sdk|@smithy|xds-server|@grpc/.test(u));
    expect(unwanted).toEqual([]);
  });
});

describe('which build a run takes (docs/cli.md, "How the command starts")', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-builds-'));
  const nested = join(dir, 'with-config', 'manifests');
  mkdirSync(nested, { recursive: true });
  writeFileSync(join(dir, 'plugin.mjs'), "export default { name: 'test/noop', extend: () => ({}) };\n");
  writeFileSync(join(dir, 'with-config', 'backendkit.config.mjs'), 'export default { plugins: [] };\n');
  for (const folder of [dir, nested]) writeFileSync(join(folder, 'static.yaml'), readFileSync(join(EXAMPLES, 'static.yaml')));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const build = (args: string[], cwd = dir): string => {
    const { status, urls } = loadedModules(args, cwd);
    expect(status).toBe(0);
    const standalone = urls.some((u) => STANDALONE.test(u));
    const modules = urls.some((u) => MODULES.test(u)) && urls.some((u) => CORE_PACKAGE.test(u) || /\/cli\/dist\/(index|chunk-)/.test(u));
    expect(standalone !== modules).toBe(true);
    return standalone ? 'standalone' : 'modules';
  };

  test('translate and validate without modules of the user: the self-contained build', () => {
    expect(build(['translate', 'static.yaml', '--quiet'])).toBe('standalone');
    expect(build(['validate', 'static.yaml', '--quiet'])).toBe('standalone');
  });

  test('--plugin, --config or a config file above: the ES-module build, which shares the packages with the plugin', () => {
    expect(build(['translate', 'static.yaml', '--plugin', './plugin.mjs', '--quiet'])).toBe('modules');
    expect(build(['translate', 'static.yaml', '--plugin=./plugin.mjs', '--quiet'])).toBe('modules');
    expect(build(['validate', 'static.yaml', '--config', 'with-config/backendkit.config.mjs', '--quiet'])).toBe('modules');
    expect(build(['translate', 'static.yaml', '--quiet'], nested)).toBe('modules');
  });

  test('other commands and the overview: the ES-module build, which loads what --help needs and no more', () => {
    expect(build(['--help'])).toBe('modules');
    expect(build(['--version'])).toBe('modules');
    expect(build(['schema', '--format', 'json-schema'])).toBe('modules');
  });

  test('both builds print the same bytes', () => {
    for (const args of [
      ['translate', 'static.yaml'],
      ['translate', 'static.yaml', '--output', 'yaml'],
      ['validate', 'static.yaml'],
    ]) {
      const standalone = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
      const modules = spawnSync(process.execPath, [join(BIN, '..', 'run.js'), ...args], { cwd: dir, encoding: 'utf8' });
      expect(standalone.status).toBe(0);
      expect(standalone.stdout.length + standalone.stderr.length).toBeGreaterThan(0);
      expect([standalone.stdout, withoutTime(standalone.stderr)]).toEqual([modules.stdout, withoutTime(modules.stderr)]);
    }
  });
});

describe('protobuf-es on first use', () => {
  // A feature plugin writing an enum as its number: valid proto3 JSON the schema walk leaves to
  // protobuf-es, which the built ESM CLI then requires and which prints the enum's name.
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-on-demand-'));
  writeFileSync(join(dir, 'lb.mjs'), "export default { name: 'test/lb', extend: () => ({ cluster: { lbPolicy: 1 } }) };\n");
  writeFileSync(join(dir, 'bad.mjs'), "export default { name: 'test/bad', extend: () => ({ cluster: { lbPolicy: 'NOPE' } }) };\n");
  writeFileSync(join(dir, 'static.yaml'), readFileSync(join(EXAMPLES, 'static.yaml')));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('JSON the walk does not vouch for is checked and printed by protobuf-es, loaded then', () => {
    const { status, stdout, urls } = loadedModules(['translate', 'static.yaml', '--plugin', './lb.mjs', '--quiet'], dir);
    expect(status).toBe(0);
    const clusters = JSON.parse(stdout).clusters as Array<{ lbPolicy?: string }>;
    expect(clusters.map((c) => c.lbPolicy)).toEqual(['LEAST_REQUEST', 'LEAST_REQUEST']);
    expect(urls.some((u) => /^require:.*@bufbuild\/protobuf\/dist\/cjs\//.test(u))).toBe(true);
    expect(urls.some((u) => /^require:.*xds-types\/dist\/clusters\.cjs$/.test(u))).toBe(true);
    // The ES-module build (a --plugin run) requires reflect-metadata, which core loads for a host's
    // tsyringe: the package build must keep that call.
    expect(urls.some((u) => /^require:.*\/reflect-metadata\/Reflect\.js$/.test(u))).toBe(true);
  });

  test("an invalid value gets protobuf-es's wording", () => {
    const { status, stderr, urls } = loadedModules(['translate', 'static.yaml', '--plugin', './bad.mjs', '--quiet'], dir);
    expect(status).toBe(1);
    expect(stderr).toContain('the cluster is not valid Envoy configuration: cannot decode enum envoy.config.cluster.v3.Cluster.LbPolicy from JSON: "NOPE"');
    expect(urls.some((u) => /^require:.*@bufbuild\/protobuf/.test(u))).toBe(true);
  });
});
