import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { formatYaml } from '@backendkit/core';
import { generate } from './generate';

// The command-line measures of `pnpm bench` (docs/performance.md): the built CLI from text files,
// end to end against a plain Node.js floor, and its start-up against `node -e 0`.

const ROOT = join(__dirname, '..', '..');
export const BUILT_CLI = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
const RUSAGE = join(__dirname, 'rusage.cjs');
const DIR = join(tmpdir(), 'backendkit-bench');

export interface CliRun {
  wallMs: number;
  cpuMs: number;
  maxRssMB: number;
  status: number | null;
  /** How many Node.js processes the run took (two for a large translation). */
  processes?: number;
  /** For a run that died (out of memory, a signal): what it said last. */
  failure?: string;
  sha?: string;
  bytes?: number;
}

export interface Inputs {
  yaml: string;
  json: string;
  instances: string;
}

/** The benchmark's workload for N as files (kept in the temporary directory between runs). */
export function inputFiles(n: number): Inputs {
  mkdirSync(DIR, { recursive: true });
  const files = { yaml: join(DIR, `input-${n}.yaml`), json: join(DIR, `input-${n}.json`), instances: join(DIR, `instances-${n}.json`) };
  if (!existsSync(files.yaml) || !existsSync(files.json) || !existsSync(files.instances)) {
    const { objects, instances } = generate(n);
    writeFileSync(files.json, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    writeFileSync(files.yaml, objects.map((o) => formatYaml(o)).join('---\n'));
    writeFileSync(files.instances, JSON.stringify({ Reservations: [{ Instances: instances }] }));
  }
  return files;
}

/** Runs a Node.js process, timing it from outside and reading its own CPU time and peak RSS. */
export function runNode(args: readonly string[], keepOutput = false): CliRun {
  const outFile = join(DIR, 'out.json');
  const out = openSync(keepOutput ? outFile : '/dev/null', 'w');
  const started = performance.now();
  const run = spawnSync(process.execPath, ['-r', RUSAGE, ...args], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  closeSync(out);
  // One line per process: a large translation runs in a child (docs/cli.md, "How the command
  // starts"), so CPU times add up, and so do resident sizes (both processes live until the end).
  const lines = run.stderr.split('\n').filter((l) => l.startsWith('RUSAGE '));
  if (lines.length === 0) {
    // Died without reaching exit (out of memory, a signal): a figure of its own, not a crash of the bench.
    const said = run.stderr.split('\n').find((l) => /FATAL|heap out of memory|Maximum call stack/.test(l)) ?? run.stderr.trim().split('\n').at(-1) ?? '';
    return { wallMs, cpuMs: NaN, maxRssMB: NaN, status: run.status, failure: `${run.signal ?? `exit ${run.status}`}: ${said.trim().slice(0, 120)}` };
  }
  const usages = lines.map((l) => JSON.parse(l.slice('RUSAGE '.length)) as { userMs: number; systemMs: number; maxRssMB: number });
  const sum = (of: (u: (typeof usages)[number]) => number) => usages.reduce((total, u) => total + of(u), 0);
  const result: CliRun = { wallMs, cpuMs: sum((u) => u.userMs + u.systemMs), maxRssMB: sum((u) => u.maxRssMB), status: run.status, processes: usages.length };
  if (keepOutput) {
    const text = readFileSync(outFile);
    result.sha = createHash('sha256').update(text).digest('hex').slice(0, 16);
    result.bytes = text.length;
  }
  return result;
}

/**
 * `backendkit translate FILE --ec2-instances FILE` with the built CLI; the input is one big file,
 * so the byte limits (16 MiB a file, 4 MiB a document by default) are raised as a user would.
 */
export function translateFile(file: string, instances: string, keepOutput = false): CliRun {
  return runNode([BUILT_CLI, 'translate', file, '--ec2-instances', instances, '--max-input-bytes', '4000000000'], keepOutput);
}

/** The floor of the end-to-end measure, bundled once into one plain JavaScript file. */
export function floorScript(): string {
  const file = join(DIR, 'floor-cli.cjs');
  buildSync({ entryPoints: [join(__dirname, 'floor-cli.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: file, logLevel: 'silent' });
  return file;
}

/** The median of `runs` runs by wall time. */
export function median(runs: number, run: () => CliRun): CliRun {
  return medianRun(Array.from({ length: runs }, run));
}

/** The run of median wall time among runs already made. */
export function medianRun(runs: readonly CliRun[]): CliRun {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor(sorted.length / 2)]!;
}
