import { AssertionError } from 'node:assert';

/**
 * Fails a test with a readable message. An `AssertionError` is what jest, node:test, vitest and
 * mocha all report as a failed assertion, so these helpers work in any of them. `operator: 'fail'`
 * makes jest print just the message (as for `assert.fail`), without an empty expected/received block.
 */
export function fail(message: string): never {
  throw new AssertionError({ message, operator: 'fail' });
}
