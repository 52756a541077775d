import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What `envoy --mode validate` said about one bootstrap. */
export interface ValidationResult {
  ok: boolean;
  /** Envoy's own output (its error message when `ok` is false), trimmed. */
  output: string;
}

/** Runs `envoy --mode validate` on a bootstrap (proto3 JSON) and reports whether Envoy accepted it. */
export async function validateBootstrap(envoy: string, bootstrap: unknown): Promise<ValidationResult> {
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-envoy-validate-'));
  const file = join(dir, 'bootstrap.json');
  writeFileSync(file, JSON.stringify(bootstrap));
  try {
    return await new Promise<ValidationResult>((resolve, reject) => {
      const child = spawn(envoy, ['--mode', 'validate', '-c', file, '--log-level', 'error'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ ok: code === 0, output: output.trim() }));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
