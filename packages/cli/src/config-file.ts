import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// Kept apart from config.ts, with nothing but node:fs and node:path: the launcher (bin.ts) asks it
// before anything else is loaded (docs/cli.md, "How the command starts").

export const CONFIG_FILES = ['backendkit.config.js', 'backendkit.config.mjs', 'backendkit.config.ts'] as const;

/** The nearest config file from `dir` upwards, or undefined. */
export function findConfig(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    for (const name of CONFIG_FILES) if (existsSync(join(current, name))) return join(current, name);
    if (dirname(current) === current) return undefined;
  }
}

/** The commands the self-contained build runs: those that translate, and start often. */
export const STANDALONE_COMMANDS: ReadonlySet<string> = new Set(['translate', 'validate']);

/**
 * Whether a run can take the self-contained build (docs/cli.md, "How the command starts"): a
 * `translate` or `validate` that loads no module of the user's (no `--plugin`, no `--config`, no
 * config file from `cwd` up). Any argument that looks like one of those options counts, wherever it
 * stands: a wrong guess only costs the quicker start.
 */
export function runsStandalone(args: readonly string[], cwd: string): boolean {
  if (!STANDALONE_COMMANDS.has(args[0] ?? '')) return false;
  for (const arg of args) if (/^--(plugin|config)(=|$)/.test(arg)) return false;
  return findConfig(cwd) === undefined;
}
