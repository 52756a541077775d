import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN } from './built-bin';

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

describe('what the CLI loads for a small static translation', () => {
  const { status, urls } = loadedModules(['translate', 'static.yaml']);

  test('the translation runs, with the schema table of the cluster side', () => {
    expect(status).toBe(0);
    expect(urls.some((u) => /xds-types\/dist\/schema-table\.js$/.test(u))).toBe(true);
    expect(urls.some((u) => /\/zod\//.test(u))).toBe(true);
    // The wrapper sees requires: yaml is a CommonJS package, and so is reflect-metadata, which core
    // loads for a host's tsyringe (the build must keep that call).
    expect(urls.some((u) => /^require:.*\/yaml\//.test(u))).toBe(true);
    expect(urls.some((u) => /^require:.*\/reflect-metadata\/Reflect\.js$/.test(u))).toBe(true);
  });

  test('no protobuf-es, no generated descriptors, nor tsyringe, the AWS SDK or the xDS server', () => {
    const unwanted = urls.filter((u) => /@bufbuild|xds-types\/dist\/(index|clusters)\.c?js$|\/tsyringe\/|@aws-sdk|@smithy|xds-server|@grpc/.test(u));
    expect(unwanted).toEqual([]);
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
  });

  test("an invalid value gets protobuf-es's wording", () => {
    const { status, stderr, urls } = loadedModules(['translate', 'static.yaml', '--plugin', './bad.mjs', '--quiet'], dir);
    expect(status).toBe(1);
    expect(stderr).toContain('the cluster is not valid Envoy configuration: cannot decode enum envoy.config.cluster.v3.Cluster.LbPolicy from JSON: "NOPE"');
    expect(urls.some((u) => /^require:.*@bufbuild\/protobuf/.test(u))).toBe(true);
  });
});
