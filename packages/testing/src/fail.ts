import { AssertionError } from 'node:assert';

/**
 * Fails a test with a readable message. An `AssertionError` is what jest, node:test, vitest and
 * mocha all report as a failed assertion, so these helpers work in any of them.
 */
export function fail(message: string, details: { actual?: unknown; expected?: unknown } = {}): never {
  throw new AssertionError({ message, ...details });
}
