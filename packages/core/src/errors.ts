// Errors for mistakes in code that uses the library (never for user input, which yields diagnostics).
//
// The guards below check a brand registered with Symbol.for, not `instanceof`: an application can
// load two copies of core (its ESM build and, through a CJS dependency, its CJS build), and an error
// thrown by one copy is not an instance of the other's class. Symbol.for returns one symbol per
// process, whichever copy asks. See docs/plugins.md.

const BRAND = Symbol.for('@backendkit/core.PluginError');

function branded(error: unknown, name?: string): boolean {
  if (typeof error !== 'object' || error === null || (error as Record<symbol, unknown>)[BRAND] !== true) return false;
  return name === undefined || (error as { name?: unknown }).name === name;
}

export class PluginError extends Error {
  override name = 'PluginError';
  constructor(message?: string) {
    super(message);
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** Two registered plugins claim one spec key or one backendRef kind, or share one name. */
export class DuplicatePluginError extends PluginError {
  override name = 'DuplicatePluginError';
  constructor(
    readonly what: 'key' | 'name' | 'refKind',
    readonly value: string,
    readonly plugins: readonly [string, string],
  ) {
    super(`plugins "${plugins[0]}" and "${plugins[1]}" both claim the ${what} "${value}"`);
  }
}

/** A plugin object does not follow the contract (no name, neither a type key nor a hook, ...). */
export class InvalidPluginError extends PluginError {
  override name = 'InvalidPluginError';
}

/** True for any error core throws about plugins, from this copy of core or another. */
export function isPluginError(error: unknown): error is PluginError {
  return branded(error);
}

export function isDuplicatePluginError(error: unknown): error is DuplicatePluginError {
  return branded(error, 'DuplicatePluginError');
}

export function isInvalidPluginError(error: unknown): error is InvalidPluginError {
  return branded(error, 'InvalidPluginError');
}
