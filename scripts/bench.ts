import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `pnpm bench`: translates N mixed Backends (static DNS and IP, Services with EndpointSlices,
 * Lambda, EC2 with offline instances) for N = 1,000, 10,000 and 100,000 and prints one JSON line per
 * N: Backends/s and peak heap of a full translation to proto3 JSON, the same for the floor
 * (hand-built plain objects of the same output passed to JSON.stringify), their ratio, and the time
 * to translate again after one Backend changed. Each measurement runs in a fresh process.
 * `pnpm bench 2000 5000` measures other sizes. Then the time from a one-Backend change to Envoy's
 * ACK with 10,000 Backends served over ADS (scripts/bench/xds.ts), and the CLI's start-up
 * (`startup` below). See docs/performance.md.
 */
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
// `pnpm bench startup` measures only the CLI's start-up.
const SIZES = process.argv.includes('startup') ? [] : sizes.length > 0 ? sizes : [1_000, 10_000, 100_000];
const CASE = join(__dirname, 'bench', 'case.ts');

interface Measured {
  result: Record<string, number | string | Record<string, number> | undefined>;
  peakHeapMB: number;
}

/** Runs one case with a GC trace; the peak heap is the largest heap seen between the two forced GCs. */
function measure(mode: 'library' | 'floor', n: number): Measured {
  const run = spawnSync(process.execPath, ['--expose-gc', '--trace-gc', '--max-old-space-size=4096', '--import', 'tsx', CASE, mode, String(n)], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const line = run.stderr.split('\n').find((l) => l.startsWith('RESULT '));
  if (run.status !== 0 || !line) throw new Error(`bench case ${mode} ${n} failed (${run.status}):\n${run.stderr.slice(-2000)}`);
  const result = JSON.parse(line.slice('RESULT '.length)) as Measured['result'];
  return { result, peakHeapMB: peakBetweenForcedGcs(run.stdout, result.endHeapMB as number) };
}

/**
 * `... Mark-Compact 88.6 (121.2) -> 75.2 (108.6) MB, ... testing; ...`: the heap in use before each
 * collection. The heap only grows between collections, so its peak is the largest such figure
 * between the forced collection before the work and the one after it.
 */
function peakBetweenForcedGcs(trace: string, endHeapMB: number): number {
  const events = trace
    .split('\n')
    .map((l) => /ms: [^\d]*?([\d.]+) \([\d.]+\) -> [\d.]+ \([\d.]+\) MB.*?(testing)?;/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ before: Number(m[1]), forced: m[2] !== undefined }));
  const forced = events.flatMap((e, i) => (e.forced ? [i] : []));
  if (forced.length < 2) throw new Error('the GC trace lacks the two forced collections around the work');
  const window = events.slice(forced[0]! + 1, forced[1]! + 1).map((e) => e.before);
  return Math.max(endHeapMB, ...window);
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const started = performance.now();
console.log(JSON.stringify({ bench: 'backendkit', node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, sizes: SIZES }));
for (const n of SIZES) {
  const library = measure('library', n);
  const floor = measure('floor', n);
  const lib = library.result;
  const flo = floor.result;
  const perSec = (ms: number) => Math.round((n / ms) * 1000);
  console.log(
    JSON.stringify({
      n,
      backends: lib.counts,
      clusters: lib.clusters,
      errors: lib.errors,
      outputBytes: lib.bytes,
      sameOutput: lib.sha === flo.sha,
      library: {
        backendsPerSec: perSec(lib.ms as number),
        ms: round(lib.ms as number),
        translateMs: round(lib.translateMs as number),
        toJsonMs: round(lib.toJsonMs as number),
        ...(lib.warmMs !== undefined ? { warmMs: round(lib.warmMs as number) } : {}),
        peakHeapMB: round(library.peakHeapMB),
        inputHeapMB: round(lib.baselineHeapMB as number),
      },
      floor: {
        backendsPerSec: perSec(flo.ms as number),
        ms: round(flo.ms as number),
        peakHeapMB: round(floor.peakHeapMB),
        inputHeapMB: round(flo.baselineHeapMB as number),
      },
      ratio: {
        time: round((lib.ms as number) / (flo.ms as number)),
        heapAboveInput: round((library.peakHeapMB - (lib.baselineHeapMB as number)) / (floor.peakHeapMB - (flo.baselineHeapMB as number))),
      },
      retranslate: {
        ms: round(lib.retranslateMs as number),
        minMs: round(lib.retranslateMinMs as number),
        percentOfFirst: round((100 * (lib.retranslateMs as number)) / (lib.translateMs as number), 2),
        toJsonMs: round(lib.retranslateToJsonMs as number),
        toJsonPercentOfFirst: round((100 * (lib.retranslateToJsonMs as number)) / (lib.ms as number), 2),
      },
    }),
  );
}
// xDS: one Backend changed with 10,000 loaded, until Envoy's ACK (scripts/bench/xds.ts).
if (SIZES.length > 0) {
  const xds = spawnSync(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', join(__dirname, 'bench', 'xds.ts'), '10000'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (xds.status !== 0) throw new Error(`bench xds failed (${xds.status}):\n${xds.stderr.slice(-2000)}`);
  process.stdout.write(xds.stdout);
}
console.log(JSON.stringify(startup()));
console.log(JSON.stringify({ totalSeconds: round((performance.now() - started) / 1000) }));

/**
 * Start-up of the built CLI (`pnpm build` first), beside `node -e 0`: the median wall time of ten
 * runs each of `--help` and of translating one small file. See docs/performance.md ("CLI start-up").
 */
function startup(): Record<string, unknown> {
  const bin = join(__dirname, '..', 'packages', 'cli', 'dist', 'bin.js');
  if (!existsSync(bin)) return { cliStartup: 'skipped: run pnpm build first' };
  const small = join(__dirname, '..', 'examples', 'static.yaml');
  const median = (args: string[]): number => {
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
      times.push(performance.now() - t);
      if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed (${run.status}): ${run.stderr.slice(-500)}`);
    }
    return round(times.sort((a, b) => a - b)[5]!);
  };
  return {
    cliStartupMs: {
      nodeE0: median(['-e', '0']),
      help: median([bin, '--help']),
      smallFile: median([bin, 'translate', small, '--quiet']),
    },
  };
}
