// Preloaded (`node -r`) into the CLI runs of `pnpm bench`: at exit, the process's own CPU time and
// peak resident set size on standard error, for scripts/bench/cli.ts to read.
process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write(`RUSAGE ${JSON.stringify({ userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, maxRssMB: usage.maxRSS / 1024 })}\n`);
});
