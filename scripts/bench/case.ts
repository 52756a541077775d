import { createHash } from 'node:crypto';
import { jsonText, toOutputDocument, type KubeObject } from '@backendkit/core';
import { EC2_INSTANCE_SOURCE, parseDescribeInstances, staticInstanceSource } from '@backendkit/aws-ec2';
import { createDefaultTranslator } from '@backendkit/preset';
import { floorDocument } from './floor';
import { changed, generate } from './generate';

/**
 * One measurement, in a process of its own (run by scripts/bench.ts with --expose-gc --trace-gc):
 * `library N` or `floor N`. Forced collections (`gc()`, reason "testing" in the GC trace) bracket
 * the full translation, so the parent can read its peak heap from the trace. The result is one JSON
 * line on standard error; standard output carries the GC trace.
 */
/** Re-translations timed, after a few untimed ones that let the JIT compile that path. */
const RETRANSLATIONS = 10;
const WARMUP = 3;
/**
 * Re-translations printed as JSON too, with `jsonText`, which keeps each cluster's, assignment's and
 * status's text: the first print after the first translation makes them all, untimed, then PRINTED
 * timed (docs/performance.md, "Printing again").
 */
const PRINTED = 3;

/**
 * `library`, `floor`, `first` (the library's first translation alone, for the largest N),
 * `oneshot` (the same with `incremental: false`, the translator the CLI uses), or `versioned` (a
 * first translation of objects that carry a `resourceVersion`, then re-translations: target 2).
 */
const [mode, size] = process.argv.slice(2);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const n = Number(size);
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with --expose-gc');

const workload = generate(n);
const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
const heapMB = () => process.memoryUsage().heapUsed / 2 ** 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (mode === 'floor') {
  collect();
  const baselineHeapMB = heapMB();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const text = JSON.stringify(floorDocument(workload));
  const ms = performance.now() - start;
  const cpuTotal = cpuMs(cpu);
  const endHeapMB = heapMB();
  collect();
  report({ mode, n, ms, cpuMs: cpuTotal, baselineHeapMB, endHeapMB, bytes: text.length, sha: sha(text) });
} else {
  // The offline EC2 source, as `backendkit translate --ec2-instances` builds it.
  const instances = parseDescribeInstances(JSON.stringify({ Reservations: [{ Instances: workload.instances }] }), 'bench');
  const provide = [[EC2_INSTANCE_SOURCE, staticInstanceSource(instances)]] as const;
  const translator = createDefaultTranslator({ provide, ...(mode === 'oneshot' ? { incremental: false } : {}) });
  // `versioned`: every object carries a `metadata.resourceVersion` from the start, bumped on change,
  // as a control plane's informers hand objects over; target 2 is measured in this process of its
  // own, whose heap holds no garbage of the content-compared rounds (docs/performance.md, "Method").
  let version = 0;
  const stamped = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, resourceVersion: String(++version) } });
  const input = mode === 'versioned' ? workload.objects.map(stamped) : workload.objects;
  collect();
  const baselineHeapMB = heapMB();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = translator.translate(input);
  const translated = performance.now();
  const translateCpuMs = cpuMs(cpu);
  const text = JSON.stringify(toOutputDocument(result));
  const ms = performance.now() - start;
  const cpuTotal = cpuMs(cpu);
  const endHeapMB = heapMB();
  collect();
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const first = {
    mode,
    n,
    counts: workload.counts,
    clusters: result.clusters.length,
    errors,
    ms,
    cpuMs: cpuTotal,
    translateMs: translated - start,
    translateCpuMs,
    baselineHeapMB,
    endHeapMB,
    bytes: text.length,
    sha: sha(text),
  };
  if (mode === 'first' || mode === 'oneshot') {
    report(first);
    process.exit(0);
  }

  // One Backend changes (a different one, of a different kind, each time); the rest stay as they
  // were. Translation alone first, then translation and printing (whose garbage is much larger).
  const backends = workload.objects.flatMap((o, i) => (o.kind === 'Backend' ? [i] : []));
  let objects: KubeObject[] = input;
  const nextChange = (r: number) => {
    const index = backends[Math.floor((((r * 7) % RETRANSLATIONS) + 0.5) * (backends.length / RETRANSLATIONS))]!;
    objects = objects.map((o, i) => (i === index ? changed(o) : o));
  };
  const retranslate: number[] = [];
  const retranslateToJson: number[] = [];
  if (mode === 'library') {
    for (let r = -WARMUP; r < RETRANSLATIONS; r++) {
      nextChange(r + WARMUP);
      const t0 = performance.now();
      translator.translate(objects);
      if (r >= 0) retranslate.push(performance.now() - t0);
    }
    jsonText(toOutputDocument(translator.translate(objects)));
    for (let r = 0; r < PRINTED; r++) {
      nextChange(RETRANSLATIONS - 1 - r);
      // After a forced collection, as the versioned prints below (docs/performance.md, "Method").
      collect();
      const t0 = performance.now();
      jsonText(toOutputDocument(translator.translate(objects)));
      retranslateToJson.push(performance.now() - t0);
    }
  }
  // The same with objects that carry a resourceVersion, as a control plane's informers hand them
  // (compared by version, not content); a change bumps the version. In `library` mode stamping every
  // object makes the next call a full translation, untimed; `versioned` stamped them from the start.
  if (mode === 'library') objects = objects.map(stamped);
  const nextVersioned = (r: number) => {
    const index = backends[Math.floor((((r * 7) % RETRANSLATIONS) + 0.5) * (backends.length / RETRANSLATIONS))]!;
    objects = objects.map((o, i) => (i === index ? stamped(changed(o)) : o));
  };
  jsonText(toOutputDocument(translator.translate(objects)));
  const versioned: number[] = [];
  const versionedCpu: number[] = [];
  for (let r = -WARMUP; r < RETRANSLATIONS; r++) {
    nextVersioned(r + WARMUP);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    translator.translate(objects);
    if (r >= 0) {
      versioned.push(performance.now() - t0);
      versionedCpu.push(cpuMs(c0));
    }
  }
  const versionedToJson: number[] = [];
  let reprinted = '';
  for (let r = 0; r < PRINTED; r++) {
    nextVersioned(RETRANSLATIONS - 1 - r);
    // Each timed print starts after a forced collection, as the first translation does: the last
    // round's text (160 MB at 100k) and garbage are not this round's (docs/performance.md, "Method").
    reprinted = '';
    collect();
    const t0 = performance.now();
    reprinted = jsonText(toOutputDocument(translator.translate(objects)));
    versionedToJson.push(performance.now() - t0);
  }
  // The kept texts print what printing afresh prints.
  const reprintSame = reprinted === JSON.stringify(toOutputDocument(translator.translate(objects)));
  reprinted = '';

  // For scale: a second full translation with a warm process (no reuse), where it is quick enough.
  let warmMs: number | undefined;
  if (n <= 10_000 && mode === 'library') {
    const fresh = createDefaultTranslator({ provide, incremental: false });
    const t0 = performance.now();
    JSON.stringify(toOutputDocument(fresh.translate(workload.objects)));
    warmMs = performance.now() - t0;
  }

  report({
    ...first,
    toJsonMs: ms - (translated - start),
    versionedMs: median(versioned),
    versionedCpuMs: median(versionedCpu),
    versionedToJsonMs: median(versionedToJson),
    reprintSame,
    ...(mode === 'library'
      ? { retranslateMs: median(retranslate), retranslateMinMs: Math.min(...retranslate), retranslateToJsonMs: median(retranslateToJson) }
      : {}),
    ...(warmMs !== undefined ? { warmMs } : {}),
  });
}

function report(fields: Record<string, unknown>): void {
  process.stderr.write(`RESULT ${JSON.stringify(fields)}\n`);
}
