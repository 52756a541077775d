import { DuplicatePluginError, InvalidPluginError, isDuplicatePluginError, isInvalidPluginError, isPluginError } from '@backendkit/core';
import type * as Errors from '../src/errors';

describe('error guards', () => {
  test('recognise errors from another copy of core (ESM and CJS builds loaded side by side)', () => {
    // A second copy of the module: its classes are distinct from the ones imported above.
    let other: typeof Errors | undefined;
    jest.isolateModules(() => {
      other = jest.requireActual<typeof Errors>('../src/errors');
    });
    const foreign = new other!.DuplicatePluginError('key', 'static', ['a', 'b']);
    expect(foreign).not.toBeInstanceOf(DuplicatePluginError);
    expect(isDuplicatePluginError(foreign)).toBe(true);
    expect(isPluginError(foreign)).toBe(true);
    expect(isInvalidPluginError(foreign)).toBe(false);
    expect(isInvalidPluginError(new other!.InvalidPluginError('no name'))).toBe(true);
  });

  test('refuse look-alikes without the brand', () => {
    const lookalike = Object.assign(new Error('x'), { name: 'DuplicatePluginError' });
    expect(isDuplicatePluginError(lookalike)).toBe(false);
    expect(isPluginError({ name: 'PluginError' })).toBe(false);
    expect(isPluginError(null)).toBe(false);
    expect(isInvalidPluginError(new InvalidPluginError('bad'))).toBe(true);
  });
});
