import { runCli } from '../src/main';

export interface CliRun {
  code: number;
  stdout: string;
  /** Standard error without the summary line. */
  stderr: string;
  /** The summary line translate and validate end with, its time replaced by `T`. */
  summary?: string;
}

const SUMMARY = /^(\d+ Backends?, .*) in [\d.]+ s\n$/m;

/** Runs the CLI in-process with captured output. */
export async function cli(args: string[], stdin = '', cwd = __dirname): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: async () => stdin,
    cwd,
  });
  const summary = SUMMARY.exec(stderr);
  if (!summary) return { code, stdout, stderr };
  return { code, stdout, stderr: stderr.slice(0, summary.index) + stderr.slice(summary.index + summary[0].length), summary: `${summary[1]} in T s` };
}
