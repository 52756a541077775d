// Errors for mistakes in code that uses the library (never for user input, which yields diagnostics).

export class PluginError extends Error {
  override name = 'PluginError';
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

export function isDuplicatePluginError(error: unknown): error is DuplicatePluginError {
  return error instanceof DuplicatePluginError;
}

export function isInvalidPluginError(error: unknown): error is InvalidPluginError {
  return error instanceof InvalidPluginError;
}
