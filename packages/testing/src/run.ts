import {
  createTranslator,
  formatDiagnostic,
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
  const result = typeof input === 'string' ? translator.translateText(input, { file }) : translator.translate(input);
  return { result, output: { ...toOutputDocument(result), diagnostics: result.diagnostics.map(formatDiagnostic) } };
}
