import { readFileSync } from 'node:fs';
import { loadText } from '@backendkit/core';

// One measure of scripts/bench/text.ts, in a fresh process: `loadText` alone on one file (the
// limits raised as the CLI's --max-input-bytes raises them), its wall and CPU time, and the heap
// left once the objects are loaded (after a forced collection, with --expose-gc).
const file = process.argv[2]!;
const text = readFileSync(file, 'utf8');
const limits = { maxInputBytes: 4e9, maxDocumentBytes: 4e9, maxDocuments: 1e8 };
const cpu = process.cpuUsage();
const started = performance.now();
const { objects, diagnostics } = loadText(text, { file, ...limits });
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
(globalThis as { gc?: () => void }).gc?.();
const heapMB = process.memoryUsage().heapUsed / 2 ** 20;
console.log(`RESULT ${JSON.stringify({ objects: objects.length, diagnostics: diagnostics.length, ms, cpuMs: (used.user + used.system) / 1000, heapMB })}`);
