export { runCli, commands } from './main';
export type { Command, OptionValues } from './command';
export type { CliIo } from './io';
export { UsageError, isUsageError, EXIT_INVALID, EXIT_OK, EXIT_USAGE } from './io';
export { defineConfig } from './config';
export { findConfig, CONFIG_FILES } from './config-file';
export type { BackendkitConfig } from './config';
