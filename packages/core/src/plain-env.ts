/**
 * Runs `work` with `process.env` replaced by a plain copy of itself, then puts the real one back.
 *
 * The YAML library's parser reads `process.env.LOG_TOKENS` once per token (a debugging switch),
 * and every read of the real `process.env` calls into Node's C++ side: about 0.3 µs, or 15 % of
 * reading a large file (docs/performance.md, "The YAML loader"). A plain object answers the same
 * in a few nanoseconds. `work` is synchronous, so no other code sees the copy; the copy has every
 * variable, so a `LOG_TOKENS` set by whoever debugs the library still works. Where `process.env`
 * cannot be replaced, `work` simply runs with the real one.
 */
export function withPlainEnv<T>(work: () => T): T {
  const env = typeof process === 'object' ? process.env : undefined;
  if (!env) return work();
  try {
    process.env = { ...env };
  } catch {
    return work();
  }
  try {
    return work();
  } finally {
    process.env = env;
  }
}
