import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The built CLI, as npm installs it (`pnpm build` makes it; CI builds before testing). */
export const BIN = join(__dirname, '..', 'dist', 'bin.js');

export interface BinRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `backendkit` in `cwd`, with no terminal and NO_COLOR unset unless `env` says so. */
export function runBin(args: string[], cwd: string, options: { input?: string | Buffer; env?: Record<string, string> } = {}): BinRun {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "pnpm build" first`);
  const env = { ...process.env, ...options.env };
  if (!options.env || !('NO_COLOR' in options.env)) delete env.NO_COLOR;
  const spawnOptions: SpawnSyncOptions = { cwd, env, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 };
  const run = spawnSync(process.execPath, [BIN, ...args], { ...spawnOptions, ...(options.input !== undefined ? { input: options.input } : {}) });
  // EPIPE: the CLI stopped reading standard input (at --max-input-bytes) before all was written.
  if (run.error && (run.error as NodeJS.ErrnoException).code !== 'EPIPE') throw run.error;
  return { status: run.status, stdout: String(run.stdout), stderr: String(run.stderr) };
}

/** Standard error without the summary line's time: `... in T s`. */
export function withoutTime(stderr: string): string {
  return stderr.replace(/ in [\d.]+ s$/m, ' in T s');
}
