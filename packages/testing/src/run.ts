import {
  createTranslator,
  formatDiagnostic,
  loadText,
  toOutputDocument,
  type CreateTranslatorOptions,
  type KubeObject,
  type OutputDocument,
  type TranslationResult,
} from '@backendkit/core';

export interface RunOptions extends CreateTranslatorOptions {
  /** File name used in diagnostics for text input. */
  file?: string;
}

export interface RunResult {
  result: TranslationResult;
  /** The CLI's document plus every diagnostic as the CLI prints it: what golden files hold. */
  output: OutputDocument & { diagnostics: string[] };
}

/** Loads YAML/JSON text (or takes objects) and translates it with the given plugins. */
export function runTranslation(input: string | readonly KubeObject[], options: RunOptions): RunResult {
  const { file = 'input.yaml', ...translatorOptions } = options;
  const translator = createTranslator(translatorOptions);
  let result: TranslationResult;
  if (typeof input === 'string') {
    const loaded = loadText(input, { file });
    result = translator.translate(loaded.objects);
    result.diagnostics.unshift(...loaded.diagnostics);
  } else {
    result = translator.translate(input);
  }
  return { result, output: { ...toOutputDocument(result), diagnostics: result.diagnostics.map(formatDiagnostic) } };
}
