import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// backendkit.config.ts in this folder registers the plugin for the CLI (docs/cli.md, "Custom plugins"):
// `pnpm -w backendkit translate test/fixtures/plain.yaml`, as pnpm runs it (INIT_CWD is this folder).
test('the CLI run here translates the dynamicForwardProxy Backend with the config file', () => {
  const example = join(__dirname, '..');
  const root = join(example, '..', '..');
  const stdout = execFileSync(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/backendkit.ts', 'translate', 'test/fixtures/plain.yaml', '--quiet'], {
    cwd: root,
    env: { ...process.env, INIT_CWD: example },
    encoding: 'utf8',
  });
  const golden = JSON.parse(readFileSync(join(example, 'test', 'fixtures', 'plain.golden.json'), 'utf8')) as { clusters: unknown[] };
  expect(JSON.parse(stdout).clusters).toEqual(golden.clusters);
});
