import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './io';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** One `backendkit <name>` subcommand. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Help lines for the options, after the usage line. */
  help: string[];
  options: OptionsConfig;
  run(positionals: string[], values: OptionValues, io: CliIo): Promise<number>;
}
