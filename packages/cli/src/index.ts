export { runCli, commands } from './main';
export type { Command, OptionValues } from './command';
export type { CliIo } from './io';
export { UsageError, isUsageError, EXIT_INVALID, EXIT_OK, EXIT_USAGE } from './io';
export { defineConfig, findConfig, CONFIG_FILES } from './config';
export type { BackendkitConfig } from './config';
