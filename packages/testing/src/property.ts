/** The environment variable that sets how many runs each property test makes. */
export const PROPERTY_RUNS_ENV = 'BACKENDKIT_PROPERTY_RUNS';

/**
 * Runs of a property test: `defaultRuns` (small enough for every `pnpm test`), or the number in
 * `BACKENDKIT_PROPERTY_RUNS` for a long pass (`BACKENDKIT_PROPERTY_RUNS=10000 pnpm exec jest
 * packages/core/test/property`). The seed stays fixed, so a failure can be replayed.
 */
export function propertyRuns(defaultRuns: number): number {
  const value = Number(process.env[PROPERTY_RUNS_ENV]);
  return Number.isInteger(value) && value > 0 ? value : defaultRuns;
}
