import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BackendPlugin, TranslatorOptions } from '@backendkit/core';
import type { OptionsConfig, OptionValues } from './command';
import { findConfig } from './config-file';
import { UsageError, type CliIo } from './io';

/**
 * What `backendkit.config.{js,mjs,ts}` exports (as its default export), like Vite's config file:
 * the plugins to register after the built-in ones, and translator options. See docs/cli.md.
 */
export interface BackendkitConfig {
  plugins?: ReadonlyArray<BackendPlugin | readonly BackendPlugin[]>;
  /** `connectTimeout`, `pluginOptions`, `allowLocalAddresses`, ... (`--allow-local-addresses` wins). */
  translator?: TranslatorOptions;
}

/** Identity helper that gives a config file its types. */
export function defineConfig(config: BackendkitConfig): BackendkitConfig {
  return config;
}

export const PLUGIN_OPTIONS: OptionsConfig = {
  plugin: { type: 'string', multiple: true },
  config: { type: 'string' },
};

export const PLUGIN_HELP: string[] = [
  '  --plugin MODULE          register a custom plugin after the built-in ones (repeatable): a path',
  '                           relative to the working directory, or a package name; its default export',
  '                           is a plugin object or an array of them',
  '  --config FILE            the config file (default: backendkit.config.{js,mjs,ts} in the working',
  '                           directory or the nearest folder above it)',
];

export interface CliSetup {
  plugins: BackendPlugin[];
  translator: TranslatorOptions;
  /** The config file read, if any. */
  configFile?: string;
}

/** Reads the config file and the --plugin modules. Problems are usage errors (exit 2). */
export async function loadSetup(values: OptionValues, io: CliIo): Promise<CliSetup> {
  const explicit = typeof values.config === 'string' ? resolve(io.cwd, values.config) : undefined;
  if (explicit && !existsSync(explicit)) throw new UsageError(`cannot read --config ${values.config as string}: no such file`);
  const configFile = explicit ?? findConfig(io.cwd);
  const setup: CliSetup = { plugins: [], translator: {} };
  if (configFile) {
    const name = relative(io.cwd, configFile) || configFile;
    const config = defaultExport(await importModule(configFile, name), name) as BackendkitConfig | undefined;
    if (typeof config !== 'object' || config === null || Array.isArray(config))
      throw new UsageError(`${name}: the default export must be a config object ({ plugins, translator })`);
    setup.configFile = configFile;
    setup.plugins.push(...pluginsOf(config.plugins ?? [], name));
    if (config.translator !== undefined && (typeof config.translator !== 'object' || config.translator === null))
      throw new UsageError(`${name}: translator must be an object of translator options`);
    setup.translator = { ...config.translator };
  }
  const specs = (values.plugin as string[] | undefined) ?? [];
  for (const spec of specs) {
    const file = resolvePlugin(spec, io.cwd);
    setup.plugins.push(...pluginsOf(defaultExport(await importModule(file, spec), spec), `--plugin ${spec}`));
  }
  return setup;
}

function resolvePlugin(spec: string, cwd: string): string {
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const file = resolve(cwd, spec);
    if (!existsSync(file)) throw new UsageError(`cannot load --plugin ${spec}: no such file`);
    return file;
  }
  try {
    // A package name, found from the working directory as the application's own imports would be.
    return createRequire(join(cwd, 'noop.js')).resolve(spec);
  } catch {
    throw new UsageError(`cannot load --plugin ${spec}: no such file or package (install it, or give a path starting with ./)`);
  }
}

async function importModule(file: string, name: string): Promise<unknown> {
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new UsageError(`cannot load ${name}: this Node.js cannot import TypeScript; use Node.js 22.18 or later, or node --import tsx`);
    }
    throw new UsageError(`cannot load ${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

/** `export default x` from ESM, or `module.exports = x` / `exports.default = x` from CommonJS. */
function defaultExport(module: unknown, name: string): unknown {
  const value = (module as { default?: unknown }).default;
  if (value === undefined) throw new UsageError(`${name} has no default export`);
  const inner = (value as { default?: unknown } | null)?.default;
  return inner !== undefined && (value as { __esModule?: unknown }).__esModule ? inner : value;
}

function pluginsOf(value: unknown, name: string): BackendPlugin[] {
  const list = (Array.isArray(value) ? value : [value]).flat();
  for (const plugin of list) {
    if (typeof plugin !== 'object' || plugin === null || typeof (plugin as { name?: unknown }).name !== 'string') {
      throw new UsageError(`${name}: expected a plugin object (with a name) or an array of them`);
    }
  }
  return list as BackendPlugin[];
}
