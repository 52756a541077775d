import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN } from './built-bin';

// What a small static translation loads (docs/performance.md, "CLI start-up"): the modules the
// built CLI resolves through Node's ESM loader, recorded by a resolve hook.

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

function loadedModules(args: string[]): { status: number | null; urls: string[] } {
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
    writeFileSync(log, '');
    const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, BIN, ...args], {
      cwd: EXAMPLES,
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: run.status, urls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('what the CLI loads for a small static translation', () => {
  const { status, urls } = loadedModules(['translate', 'static.yaml']);

  test('the translation runs, with the cluster side of the Envoy types', () => {
    expect(status).toBe(0);
    expect(urls.some((u) => /xds-types\/dist\/clusters\.js$/.test(u))).toBe(true);
    expect(urls.some((u) => /\/zod\//.test(u))).toBe(true);
  });

  test('neither the whole Envoy API, nor tsyringe, nor the AWS SDK, nor the xDS server', () => {
    const unwanted = urls.filter((u) => /xds-types\/dist\/index\.js$|\/tsyringe\/|@aws-sdk|@smithy|xds-server|@grpc/.test(u));
    expect(unwanted).toEqual([]);
  });
});
