import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_CLI, inputFiles, translateFile, type CliRun } from './cli';

// Target 3 of docs/performance.md alone (`pnpm build` first):
//   node --import tsx scripts/bench/text.ts [N]
// the built CLI on N Backends (100,000 by default) from one YAML file (one document per object)
// and from one JSON `List` of the same objects: wall time, CPU time and peak RSS of each, and
// their ratio. `pnpm bench` prints the same rows in its targets table. Beside them, `loadText`
// alone on each file (scripts/bench/load-case.ts): the CLI figures include the translation, the
// same for both files, which bounds their ratio.

const round = (x: number) => Math.round(x * 10) / 10;

/** `loadText` alone on one file, in a fresh process. */
export function loadTextRun(file: string): Record<string, number> {
  const run = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', join(__dirname, 'load-case.ts'), file], {
    encoding: 'utf8',
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (run.status !== 0 || !line) throw new Error(`load-case ${file} failed (${run.status}):\n${run.stderr.slice(-2000)}`);
  const result = JSON.parse(line.slice('RESULT '.length)) as Record<string, number>;
  return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, round(v)]));
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? 100_000);
  if (!existsSync(BUILT_CLI)) throw new Error('build the CLI first: pnpm build');
  const files = inputFiles(n);
  const figures = (run: CliRun) =>
    run.failure
      ? { failure: run.failure, wallMs: round(run.wallMs) }
      : { status: run.status, wallMs: round(run.wallMs), cpuMs: round(run.cpuMs), maxRssMB: round(run.maxRssMB) };
  const loadYaml = loadTextRun(files.yaml);
  const loadJson = loadTextRun(files.json);
  const yaml = translateFile(files.yaml, files.instances);
  const json = translateFile(files.json, files.instances);
  console.log(
    JSON.stringify({
      text: 'built CLI, one file of N Backends and what they read',
      n,
      yaml: figures(yaml),
      json: figures(json),
      yamlOverJson: { wall: round(yaml.wallMs / json.wallMs), cpu: round(yaml.cpuMs / json.cpuMs) },
      loadText: { yaml: loadYaml, json: loadJson, yamlOverJson: { wall: round(loadYaml.ms! / loadJson.ms!), cpu: round(loadYaml.cpuMs! / loadJson.cpuMs!) } },
      limits: { yamlWallMs: 60_000, yamlRssMB: 2048, yamlOverJson: 5 },
    }),
  );
}
