/** Everything the CLI touches outside itself, so tests run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Standard input as text. Rejects with a `UsageError` once more than `maxBytes` bytes arrived,
   * without reading the rest.
   */
  readStdin(maxBytes: number): Promise<string>;
  /** Relative paths on the command line resolve against this (the process's working directory). */
  cwd: string;
  /** Colour the severity of diagnostics (standard error is a terminal and NO_COLOR is unset). */
  color?: boolean;
  /** Standard error is a terminal: progress for large inputs. */
  tty?: boolean;
}

/** A mistake in how the CLI was called, or a file it cannot read: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError;
}

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;
