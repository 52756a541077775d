import { createTranslator, type BackendPlugin, type CreateTranslatorOptions, type Translator } from '@backendkit/core';
import { staticPlugin } from '@backendkit/static';

/** The built-in plugins, in their default order. */
export function builtinPlugins(): BackendPlugin[] {
  return [staticPlugin()];
}

/** A translator with every built-in plugin, plus any of yours (registered after them). */
export function createDefaultTranslator(options: Partial<CreateTranslatorOptions> = {}): Translator {
  const { plugins = [], ...rest } = options;
  return createTranslator({ ...rest, plugins: [...builtinPlugins(), ...plugins] });
}
