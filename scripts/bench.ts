import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { BUILT_CLI, floorScript, inputFiles, median, medianRun, runNode, translateFile, type CliRun } from './bench/cli';
import { loadTextRun } from './bench/text';

/**
 * `pnpm bench`: the targets of docs/performance.md next to their figures, after the raw lines.
 * Translates N mixed Backends (static DNS and IP, Services with EndpointSlices,
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
const STARTUP_ONLY = process.argv.includes('startup');
/** Sizes given: those raw lines only. None: the full run, with the targets table. */
const FULL = sizes.length === 0 && !STARTUP_ONLY;
const SIZES = STARTUP_ONLY ? [] : FULL ? [1_000, 10_000, 100_000] : sizes;
/** Heap per Backend is also printed for this N (first translation only: the 200k case is costly). */
const LARGEST = 200_000;
const CASE = join(__dirname, 'bench', 'case.ts');

interface Measured {
  result: Record<string, number | string | Record<string, number> | undefined>;
  peakHeapMB: number;
}

/**
 * `case.ts` and the packages' sources in one file, compiled by esbuild as the packages' own build
 * compiles them (no `keepNames`), once per bench: tsx wraps every function made at run time in
 * `__name`, which the shipped packages do not (docs/performance.md, "Method"). It sits in core's
 * `node_modules` so that the third-party packages resolve as they do for core.
 */
let bundled: string | undefined;
function caseBundle(): string {
  if (bundled) return bundled;
  const outfile = join(__dirname, '..', 'packages', 'core', 'node_modules', '.bench', 'bench-case.mjs');
  buildSync({
    entryPoints: [CASE],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    external: ['zod', 'yaml', 'tsyringe', 'reflect-metadata', '@bufbuild/*', '@aws-sdk/*', '@grpc/*'],
    banner: { js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return (bundled = outfile);
}

/** Runs one case with a GC trace; the peak heap is the largest heap seen between the two forced GCs. */
function measure(mode: 'library' | 'floor' | 'first' | 'oneshot' | 'versioned', n: number): Measured {
  const run = spawnSync(process.execPath, ['--expose-gc', '--trace-gc', '--max-old-space-size=4096', caseBundle(), mode, String(n)], {
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
/** The median of three or more figures. */
const middle = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const started = performance.now();
console.log(JSON.stringify({ bench: 'backendkit', node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, sizes: SIZES }));
const lines = new Map<number, Line>();
for (const n of SIZES) {
  const library = measure('library', n);
  const floor = measure('floor', n);
  // The one-shot translator (`incremental: false`, what the CLI uses), printed beside target 1.
  const oneShot = measure('oneshot', n);
  // Target 2 with versions, in a process of its own (docs/performance.md, "Method").
  const versionedRun = measure('versioned', n);
  const versioned = versionedRun.result;
  const lib = library.result;
  const flo = floor.result;
  const one = oneShot.result;
  lines.set(n, { library, floor, oneShot, versioned: versionedRun });
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
      cpu: {
        libraryMs: round(lib.cpuMs as number),
        floorMs: round(flo.cpuMs as number),
        ratio: round((lib.cpuMs as number) / (flo.cpuMs as number)),
      },
      oneShot: {
        ms: round(one.ms as number),
        cpuMs: round(one.cpuMs as number),
        peakHeapMB: round(oneShot.peakHeapMB),
        ratio: round((one.ms as number) / (flo.ms as number)),
        cpuRatio: round((one.cpuMs as number) / (flo.cpuMs as number)),
        sameOutput: one.sha === flo.sha,
      },
      retranslateVersioned: {
        ms: round(versioned.versionedMs as number),
        cpuMs: round(versioned.versionedCpuMs as number),
        percentOfFirst: round((100 * (versioned.versionedMs as number)) / (versioned.translateMs as number), 2),
        toJsonMs: round(versioned.versionedToJsonMs as number),
        toJsonPercentOfFirst: round((100 * (versioned.versionedToJsonMs as number)) / (versioned.ms as number), 2),
        reprintSame: versioned.reprintSame,
      },
      // The same, measured after the content-compared rounds in the library's process (as before).
      retranslateVersionedAfterUnversioned: {
        ms: round(lib.versionedMs as number),
        percentOfFirst: round((100 * (lib.versionedMs as number)) / (lib.translateMs as number), 2),
        toJsonMs: round(lib.versionedToJsonMs as number),
        toJsonPercentOfFirst: round((100 * (lib.versionedToJsonMs as number)) / (lib.ms as number), 2),
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
/** The xDS line (target 5). */
let xdsLine: { client: { pushToAckMs: number; changeToAckMs: number; snapshotMs: number; setSnapshotMs: number } } | undefined;
if (SIZES.length > 0) {
  const xds = spawnSync(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', join(__dirname, 'bench', 'xds.ts'), '10000'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (xds.status !== 0) throw new Error(`bench xds failed (${xds.status}):\n${xds.stderr.slice(-2000)}`);
  process.stdout.write(xds.stdout);
  xdsLine = JSON.parse(xds.stdout.trim().split('\n').pop()!) as typeof xdsLine;
}
const startupLine = startup();
console.log(JSON.stringify(startupLine));
if (FULL) targets();
console.log(JSON.stringify({ totalSeconds: round((performance.now() - started) / 1000) }));

interface StartupMs {
  nodeE0: number;
  help: number;
  smallFile: number;
}

interface Line {
  library: Measured;
  floor: Measured;
  oneShot: Measured;
  versioned: Measured;
}

/** Heap the library adds above its input, per Backend, in KiB. */
function heapPerBackendKiB(m: Measured, n: number): number {
  return ((m.peakHeapMB - (m.result.baselineHeapMB as number)) * 1024) / n;
}

/** The targets of docs/performance.md, each next to its figure (ok / MISSED). */
function targets(): void {
  const rows: Array<[string, string, string, boolean | undefined]> = [];
  const row = (what: string, figure: string, limit: string, ok: boolean | undefined) => rows.push([what, figure, limit, ok]);
  const num = (m: Measured, key: string) => m.result[key] as number;

  // Target 1 from three fresh processes of each (the first the raw line's): the ratio of the median
  // wall times, and of the median CPU times, so that one slow floor or library process does not
  // decide the verdict (docs/performance.md, "Method").
  const peaks = new Map<number, number>();
  for (const n of [10_000, 100_000]) {
    const line = lines.get(n)!;
    const library = [line.library, measure('first', n), measure('first', n)];
    const floor = [line.floor, measure('floor', n), measure('floor', n)];
    const oneShot = [line.oneShot, measure('oneshot', n), measure('oneshot', n)];
    peaks.set(n, Math.max(...library.map((m) => m.peakHeapMB)));
    const ms = (runs: Measured[], key: 'ms' | 'cpuMs') => runs.map((m) => num(m, key));
    const figures = (runs: Measured[]) =>
      ms(runs, 'ms')
        .map((x) => Math.round(x))
        .join(', ');
    const ratios = (runs: Measured[]) => ({
      wall: middle(ms(runs, 'ms')) / middle(ms(floor, 'ms')),
      cpu: middle(ms(runs, 'cpuMs')) / middle(ms(floor, 'cpuMs')),
    });
    const lib = ratios(library);
    const one = ratios(oneShot);
    row(
      `1  first translation + print / floor, N=${n} (wall; CPU)`,
      `${round(lib.wall)}x; ${round(lib.cpu)}x (medians of 3: ${figures(library)} / ${figures(floor)} ms)`,
      '<= 3x',
      lib.wall <= 3,
    );
    // The verdict above is the default (incremental) translator's; the CLI's one-shot one beside it.
    row(
      `1  one-shot (incremental: false, the CLI's) / floor, N=${n}`,
      `${round(one.wall)}x; ${round(one.cpu)}x (${figures(oneShot)} ms)`,
      '(beside)',
      undefined,
    );
  }
  const big = lines.get(100_000)!;
  row('1  peak heap, N=100,000 (the largest of the 3)', `${Math.round(peaks.get(100_000)!)} MB`, '< 1024 MB', peaks.get(100_000)! < 1024);
  const largest = measure('first', LARGEST);
  const perBackend = [10_000, 100_000].map((n) => heapPerBackendKiB(lines.get(n)!.library, n)).concat(heapPerBackendKiB(largest, LARGEST));
  row(
    '1  heap above input per Backend, N=10k / 100k / 200k',
    perBackend.map((k) => `${round(k)} KiB`).join(' / '),
    'linear (flat)',
    Math.max(...perBackend) <= 1.5 * Math.min(...perBackend),
  );
  // With versions, in a process of its own (docs/performance.md, "Method"); beside it, the same
  // measured in the library's process after the content-compared rounds, as the bench did before.
  const versioned = num(big.versioned, 'versionedMs') / num(big.versioned, 'translateMs');
  const versionedPrint = num(big.versioned, 'versionedToJsonMs') / num(big.versioned, 'ms');
  row('2  re-translation after one change, N=100k (resourceVersion)', `${round(100 * versioned, 2)} %`, '<= 1 %', versioned <= 0.01);
  row('2  re-translation + print, N=100k (resourceVersion)', `${round(100 * versionedPrint, 2)} %`, '<= 5 %', versionedPrint <= 0.05);
  const after = num(big.library, 'versionedMs') / num(big.library, 'translateMs');
  const afterPrint = num(big.library, 'versionedToJsonMs') / num(big.library, 'ms');
  row(
    '2  the same after the content-compared rounds, same process',
    `${round(100 * after, 2)} %; print ${round(100 * afterPrint, 2)} %`,
    '(beside)',
    undefined,
  );
  const plain = num(big.library, 'retranslateMs') / num(big.library, 'translateMs');
  const plainPrint = num(big.library, 'retranslateToJsonMs') / num(big.library, 'ms');
  row('2  the same without resourceVersion (content compared)', `${round(100 * plain, 2)} %; print ${round(100 * plainPrint, 2)} %`, '(beside)', undefined);

  if (!existsSync(BUILT_CLI)) {
    row('3, 4, 6  CLI measures', 'not run: build the CLI first (pnpm build)', '', false);
  } else {
    const fmt = (r: CliRun) =>
      r.failure
        ? `died after ${round(r.wallMs / 1000, 1)} s (${r.failure})`
        : `${round(r.wallMs / 1000, 2)} s wall, ${round(r.cpuMs / 1000, 2)} s CPU, ${Math.round(r.maxRssMB)} MB RSS${r.processes === 2 ? ' (2 processes)' : ''}`;
    const text = inputFiles(100_000);
    // Three runs of each file, alternated so that the machine's drift reaches both alike; the ratio
    // is of the medians, as target 1's (docs/performance.md, "Method"). The limits on the YAML run
    // hold for the slowest and largest of its three.
    const pairs = Array.from({ length: 3 }, () => ({ yaml: translateFile(text.yaml, text.instances), json: translateFile(text.json, text.instances) }));
    const yamlRuns = pairs.map((p) => p.yaml);
    const jsonRuns = pairs.map((p) => p.json);
    const [yaml, json] = [medianRun(yamlRuns), medianRun(jsonRuns)];
    const walls = (runs: CliRun[]) => runs.map((r) => round(r.wallMs / 1000, 1)).join(', ');
    const worstWall = Math.max(...yamlRuns.map((r) => r.wallMs));
    const worstRss = Math.max(...yamlRuns.map((r) => r.maxRssMB));
    row(
      '3  CLI, 100k Backends from YAML (median of 3)',
      `${fmt(yaml)}${yaml.status === 1 || yaml.status === 0 ? '' : ` (exit ${yaml.status})`}; all ${walls(yamlRuns)} s, up to ${Math.round(worstRss)} MB`,
      '< 60 s, < 2048 MB',
      yamlRuns.every((r) => r.status === 0) && worstWall < 60_000 && worstRss < 2048,
    );
    row(
      '3  CLI, 100k Backends from JSON (median of 3)',
      `${fmt(json)}; all ${walls(jsonRuns)} s`,
      '(beside)',
      jsonRuns.every((r) => r.status === 0) ? undefined : false,
    );
    row(
      '3  YAML time / JSON time (medians)',
      `${round(yaml.wallMs / json.wallMs)}x wall; ${round(yaml.cpuMs / json.cpuMs)}x CPU; pairs ${pairs.map((p) => `${round(p.yaml.wallMs / p.json.wallMs)}x`).join(', ')}`,
      '>= 5x',
      pairs.every((p) => !p.yaml.failure && !p.json.failure) && yaml.wallMs / json.wallMs >= 5,
    );
    // The CLI ratio above includes the translation, the same for both files (scripts/bench/text.ts).
    const [loadYaml, loadJson] = [loadTextRun(text.yaml), loadTextRun(text.json)];
    row(
      '3  loadText alone, 100k: YAML / JSON',
      `${round(loadYaml.cpuMs! / loadJson.cpuMs!)}x CPU (${round(loadYaml.cpuMs! / 1000)} / ${round(loadJson.cpuMs! / 1000)} s)`,
      '(beside)',
      undefined,
    );

    const e2e = inputFiles(20_000);
    const floor = floorScript();
    const cli = median(3, () => translateFile(e2e.json, e2e.instances, true));
    const hand = median(3, () => runNode([floor, e2e.json, e2e.instances], true));
    row(
      '4  built CLI end to end, 20k JSON / plain Node floor',
      `${round(cli.wallMs / hand.wallMs)}x wall (${Math.round(cli.wallMs)} / ${Math.round(hand.wallMs)} ms); ${round(cli.cpuMs / hand.cpuMs)}x CPU; same bytes: ${cli.sha === hand.sha}`,
      '<= 4x',
      cli.wallMs / hand.wallMs <= 4 && cli.sha === hand.sha,
    );

    // The start-up line above measured it already (ten runs each).
    const { help, nodeE0, smallFile } = 'cliStartupMs' in startupLine ? startupLine.cliStartupMs : { help: NaN, nodeE0: NaN, smallFile: NaN };
    row('6  CLI start-up (--help) / node -e 0', `${round(help / nodeE0)}x (${Math.round(help)} / ${Math.round(nodeE0)} ms)`, '(beside)', undefined);
    // The CLI issue's start-up target: --help and one small static file within 0.3 s.
    row('6  CLI start-up, --help; examples/static.yaml', `${Math.round(help)} ms; ${Math.round(smallFile)} ms`, '< 300 ms each', help < 300 && smallFile < 300);
  }
  // Target 5: from setSnapshot to the plain client's ACK (scripts/bench/xds.ts); change -> ACK beside it.
  const push = xdsLine!.client.pushToAckMs;
  row(
    '5  xDS push of a one-Backend change, 10k loaded (client)',
    `${round(push)} ms push -> ACK (server's own: ${round(xdsLine!.client.snapshotMs)} ms snapshot + ${round(xdsLine!.client.setSnapshotMs)} ms to write); ${round(xdsLine!.client.changeToAckMs)} ms change -> ACK`,
    '<= 50 ms',
    push <= 50,
  );

  console.log('\ntarget                                                          figure  |  limit  |  verdict');
  for (const [what, figure, limit, ok] of rows) console.log(`${what.padEnd(62)}  ${figure}  |  ${limit}  |  ${ok === undefined ? '-' : ok ? 'ok' : 'MISSED'}`);
  console.log("(wall times on a shared machine; CPU time is the process's own user + system time)");
}

/**
 * Start-up of the built CLI (`pnpm build` first), beside `node -e 0`: the median wall time of ten
 * runs each of `--help` and of translating one small file. See docs/performance.md ("CLI start-up").
 */
function startup(): { cliStartupMs: StartupMs } | { cliStartup: string } {
  if (!existsSync(BUILT_CLI)) return { cliStartup: 'skipped: run pnpm build first' };
  const small = join(__dirname, '..', 'examples', 'static.yaml');
  const ms = (args: string[]): number => {
    const run = median(10, () => runNode(args));
    if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed (${run.status ?? run.failure})`);
    return round(run.wallMs);
  };
  return { cliStartupMs: { nodeE0: ms(['-e', '0']), help: ms([BUILT_CLI, '--help']), smallFile: ms([BUILT_CLI, 'translate', small, '--quiet']) } };
}
