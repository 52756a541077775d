import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { formatDiagnostic, loadText, type Diagnostic, type KubeObject, type LoadOptions } from '@backendkit/core';
import { formatBytes } from '@backendkit/core/helpers';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from './io';

export interface InputText {
  file: string;
  text: string;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface ReadOptions {
  /** Files larger than this are not read at all (the loader would refuse them anyway, after reading). */
  maxBytes?: number;
}

async function checkSize(file: string, maxBytes: number, io: CliIo): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (info && info.size > maxBytes) {
    const name = relative(io.cwd, file) || file;
    throw new UsageError(`cannot read ${name}: it is ${formatBytes(info.size)}, more than the limit of ${formatBytes(maxBytes)} (--max-input-bytes)`);
  }
}

/**
 * Reads files, directories (recursively: *.yaml, *.yml, *.json, sorted; nested packages, hidden
 * folders and node_modules skipped) and `-` for stdin.
 */
export async function readInputs(paths: readonly string[], io: CliIo, options: ReadOptions = {}): Promise<InputText[]> {
  if (paths.length === 0) throw new UsageError('no input: give files, directories, or - for standard input');
  const inputs: InputText[] = [];
  for (const path of paths) {
    if (path === '-') {
      inputs.push({ file: '<stdin>', text: await io.readStdin() });
      continue;
    }
    const full = resolve(io.cwd, path);
    const info = await stat(full).catch(() => undefined);
    if (!info) throw new UsageError(`cannot read ${path}: no such file or directory`);
    const files = info.isDirectory() ? await listFiles(full) : [full];
    if (info.isDirectory() && files.length === 0) throw new UsageError(`${path} holds no .yaml, .yml or .json files`);
    for (const file of files) {
      if (options.maxBytes !== undefined) await checkSize(file, options.maxBytes, io);
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot read ${relative(io.cwd, file) || file}: ${error.code ?? error.message}`);
      });
      inputs.push({ file: relative(io.cwd, file) || file, text });
    }
  }
  return inputs;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!(await isOtherProject(full, entry.name))) files.push(...(await listFiles(full)));
    } else if (EXTENSIONS.has(extname(entry.name))) files.push(full);
  }
  return files;
}

/**
 * Subfolders a walk skips: dependencies, hidden folders, and nested packages (a folder with its own
 * package.json, such as examples/custom-plugin), whose JSON and test fixtures are not resources.
 * A folder named on the command line is always read.
 */
async function isOtherProject(dir: string, name: string): Promise<boolean> {
  if (name === 'node_modules' || name.startsWith('.')) return true;
  return (await stat(join(dir, 'package.json')).catch(() => undefined))?.isFile() ?? false;
}

export interface LoadedInputs {
  objects: KubeObject[];
  diagnostics: Diagnostic[];
}

/** Reads the inputs (see `readInputs`) and loads every object they hold; load problems are diagnostics. */
export async function loadInputs(paths: readonly string[], io: CliIo, options: ReadOptions & Omit<LoadOptions, 'file'> = {}): Promise<LoadedInputs> {
  const { maxBytes, ...load } = options;
  const loaded: LoadedInputs = { objects: [], diagnostics: [] };
  for (const { file, text } of await readInputs(paths, io, maxBytes === undefined ? {} : { maxBytes })) {
    const { objects, diagnostics } = loadText(text, { ...load, file });
    // A loop, not a spread: a spread of 100,000 objects overflows the call stack.
    for (const object of objects) loaded.objects.push(object);
    for (const diagnostic of diagnostics) loaded.diagnostics.push(diagnostic);
  }
  return loaded;
}

/** Prints diagnostics on standard error, one a line; the exit status they call for. */
export function report(diagnostics: readonly Diagnostic[], io: CliIo): number {
  for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
  return diagnostics.some((d) => d.severity === 'error') ? EXIT_INVALID : EXIT_OK;
}
