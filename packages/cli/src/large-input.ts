import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { STANDALONE_COMMANDS } from './config-file';

// A translation of large files runs in a child Node.js process started with V8 flags for a long
// run (docs/cli.md, "How the command starts"; docs/performance.md, "Large inputs in a child"). Kept
// apart, with nothing but Node's own modules: the launcher (bin.ts) asks it before anything else loads.

/** From this many bytes of input files, a `translate` or `validate` runs in the child. */
export const LARGE_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * The child's V8 flags. A 64 MiB young generation from the start: V8's default (16 MiB) is collected
 * about 170 times while 100,000 Backends are read, translated and printed, and most of what it holds
 * then lives on (the result), so each collection copies it. A heap of 1 GiB before the first full
 * collection: what a large run keeps only grows until the output is printed, so the full collections
 * V8 makes on the way there (one of 70 ms while the 100k JSON file is read) free almost nothing.
 * Feedback allocated with each function's first call rather than after several: the JIT optimises
 * the translation's functions sooner, which pays on a run of seconds and costs a few milliseconds on
 * a short one (docs/performance.md, "Large inputs in a child").
 */
export const CHILD_FLAGS: readonly string[] = [
  '--max-semi-space-size=64',
  '--min-semi-space-size=64',
  '--initial-heap-size=1024',
  '--no-lazy-feedback-allocation',
];

/** Set in the child's environment: it never starts a child of its own. */
export const CHILD_MARK = 'BACKENDKIT_LARGE_INPUT_CHILD';

export interface LaunchContext {
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  execArgv: readonly string[];
  /** The size of a regular file, or undefined for anything else (a folder, `-`, an option's value). */
  fileSize?: (path: string) => number | undefined;
}

/**
 * Whether this run should take the child: a `translate` or `validate` whose arguments name regular
 * files of `LARGE_INPUT_BYTES` or more together, in a process not already started with flags of
 * its own for the young generation or the JIT's feedback, or with a debugger (which the child could
 * not share).
 */
export function wantsChild({ args, cwd, env, execArgv, fileSize = sizeOf }: LaunchContext): boolean {
  if (!STANDALONE_COMMANDS.has(args[0] ?? '') || env[CHILD_MARK] !== undefined) return false;
  const flags = [...execArgv, env.NODE_OPTIONS ?? ''].join(' ');
  if (/semi-space|initial-heap-size|initial-old-space|lazy-feedback|--inspect|--debug/.test(flags)) return false;
  let bytes = 0;
  for (const arg of args.slice(1)) {
    if (arg.startsWith('-')) continue;
    bytes += fileSize(resolve(cwd, arg)) ?? 0;
    if (bytes >= LARGE_INPUT_BYTES) return true;
  }
  return false;
}

function sizeOf(path: string): number | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs this command (`script` with `args`) again in a child with `CHILD_FLAGS`, sharing this process's standard
 * streams, and ends as it ends (its exit status, or its signal). Signals sent to this process go on
 * to the child. `fallback` runs the command here when the child cannot be started.
 */
export function runInChild(script: string, args: readonly string[], fallback: () => void): void {
  const child = spawn(process.execPath, [...process.execArgv, ...CHILD_FLAGS, script, ...args], {
    stdio: 'inherit',
    env: { ...process.env, [CHILD_MARK]: '1' },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  const stop = () => {
    for (const signal of FORWARDED) process.off(signal, forward);
  };
  child.on('error', () => {
    // Only a child that never started (no pid) leaves the command to be run here.
    if (child.pid !== undefined) return;
    stop();
    fallback();
  });
  child.on('exit', (code, signal) => {
    stop();
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
}
