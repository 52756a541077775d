/**
 * What `runPlugin` hands to hooks is frozen, as typescript-eslint's rule tester freezes the AST: a
 * hook that changes its input (hooks are pure, docs/plugins.md) fails at the line that does it
 * instead of corrupting the next hook's view.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return value;
}

/** A frozen deep copy of plain data; the value itself (unfrozen) when it holds something that cannot be copied. */
export function frozenCopy<T>(value: T): T {
  let copy: T;
  try {
    copy = structuredClone(value);
  } catch {
    return value;
  }
  return deepFreeze(copy);
}

/**
 * The error a write to a frozen object throws (in strict code, which every ES module is). Checked by
 * name, not `instanceof`: under a test runner's sandbox the engine may throw another realm's TypeError.
 */
export function isFrozenWrite(error: unknown): error is TypeError {
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  return name === 'TypeError' && typeof message === 'string' && /read[- ]only|not extensible|Cannot delete property|Cannot redefine property/.test(message);
}

/**
 * An error that names the plugin and hook and keeps the frames of the write itself, so a test runner
 * points at the offending line.
 */
export function mutationError(plugin: string, hook: string, write: TypeError): Error {
  const message = `runPlugin: plugin "${plugin}" changed its input in ${hook} (hooks must not change what they are given, so runPlugin freezes it): ${write.message}`;
  const error = new Error(message, { cause: write });
  error.name = 'PluginMutationError';
  // Engine frames (`at Array.sort (<anonymous>)`) go: the first frame left is the plugin's line.
  const frames = (write.stack ?? '').split('\n').slice(1);
  while (frames.length > 1 && !/:\d+:\d+\)?$/.test(frames[0]!)) frames.shift();
  error.stack = `${error.name}: ${message}\n${frames.join('\n')}`;
  return error;
}
