import { LOAD_LIMITS, loadText, type Diagnostic, type KubeObject, type LoadOptions } from '@backendkit/core';
import { readInputs } from './read';
import type { CliIo } from './io';

export { readInputs } from './read';

export interface LoadedInputs {
  objects: KubeObject[];
  diagnostics: Diagnostic[];
  /** The files read, in order (`<stdin>` for standard input): the order diagnostics are printed in. */
  files: string[];
}

export interface InputOptions extends Omit<LoadOptions, 'file'> {
  /** Files and standard input larger than this are refused before they are read. */
  maxBytes?: number;
}

/** Reads the inputs (see `readInputs`) and loads every object they hold; load problems are diagnostics. */
export async function loadInputs(paths: readonly string[], io: CliIo, options: InputOptions = {}): Promise<LoadedInputs> {
  const { maxBytes = LOAD_LIMITS.maxInputBytes, ...load } = options;
  const loaded: LoadedInputs = { objects: [], diagnostics: [], files: [] };
  for (const { file, text } of await readInputs(paths, io, maxBytes)) {
    const { objects, diagnostics } = loadText(text, { ...load, file });
    loaded.files.push(file);
    // A loop, not a spread: a spread of 100,000 objects overflows the call stack.
    for (const object of objects) loaded.objects.push(object);
    for (const diagnostic of diagnostics) loaded.diagnostics.push(diagnostic);
  }
  return loaded;
}
