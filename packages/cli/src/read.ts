import { constants } from 'node:fs';
import { open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { formatBytes } from '@backendkit/core/helpers';
import { UsageError, type CliIo } from './io';

export interface InputText {
  /** As diagnostics print it: relative to the working directory when inside it. */
  file: string;
  text: string;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** JSON files of JavaScript projects, never resources (docs/cli.md, "Reading directories"). */
const SKIPPED_FILES = [/^package\.json$/, /^package-lock\.json$/, /^tsconfig.*\.json$/];

/** `size` when known (a regular file); a pipe is cut at the limit. */
const tooLarge = (name: string, maxBytes: number, size?: number) =>
  new UsageError(
    `cannot read ${name}: it is ${size === undefined ? 'larger than' : `${formatBytes(size)}, more than`} the limit of ${formatBytes(maxBytes)} (--max-input-bytes)`,
  );

/**
 * Reads files, directories and `-` for standard input, each at most `maxBytes` bytes (larger ones
 * are refused before they are read). A file named on the command line is read whatever it is (a
 * pipe from `<(...)` too); a directory walk reads only regular files inside the directory: see
 * `listFiles`.
 */
export async function readInputs(paths: readonly string[], io: CliIo, maxBytes: number): Promise<InputText[]> {
  if (paths.length === 0) throw new UsageError('no input: give files, directories, or - for standard input');
  const inputs: InputText[] = [];
  for (const path of paths) {
    if (path === '-') {
      const text = await io.readStdin(maxBytes);
      // In-process callers hand over text they already have: measure it too.
      if (Buffer.byteLength(text) > maxBytes) throw tooLarge('standard input', maxBytes);
      inputs.push({ file: '<stdin>', text });
      continue;
    }
    const full = resolve(io.cwd, path);
    const info = await stat(full).catch(() => undefined);
    if (!info) throw new UsageError(`cannot read ${path}: no such file or directory`);
    const name = (file: string) => relative(io.cwd, file) || file;
    if (!info.isDirectory()) {
      inputs.push({ file: name(full), text: await readBounded(full, name(full), maxBytes, false) });
      continue;
    }
    const files = await listFiles(full);
    if (files.length === 0) throw new UsageError(`${path} holds no .yaml, .yml or .json files`);
    for (const file of files) {
      const text = await readBounded(file, name(file), maxBytes, true);
      if (text !== undefined) inputs.push({ file: name(file), text });
    }
  }
  return inputs;
}

/**
 * Reads one file, refusing it past `maxBytes`. With `regularOnly` (files found by a walk), anything
 * but a regular file at open time is skipped: opened non-blocking, a FIFO does not wait for a
 * writer, and it is closed unread, like a device.
 */
async function readBounded(file: string, name: string, maxBytes: number, regularOnly: true): Promise<string | undefined>;
async function readBounded(file: string, name: string, maxBytes: number, regularOnly: false): Promise<string>;
async function readBounded(file: string, name: string, maxBytes: number, regularOnly: boolean): Promise<string | undefined> {
  const flags = regularOnly ? constants.O_RDONLY | constants.O_NONBLOCK : constants.O_RDONLY;
  let handle: FileHandle;
  try {
    handle = await open(file, flags);
  } catch (error) {
    throw new UsageError(`cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size > maxBytes) throw tooLarge(name, maxBytes, info.size);
    if (!info.isFile() && regularOnly) return undefined;
    // A pipe or device has no size: read up to one byte past the limit and stop there. A regular
    // file is read into one buffer of its size (and a byte more, to notice it grew), decoded
    // without a second copy (docs/performance.md, "The YAML loader").
    const chunks: Buffer[] = [];
    let total = 0;
    const first = info.isFile() ? info.size + 1 : 1 << 20;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(chunks.length === 0 ? first : 1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(name, maxBytes);
    }
    return (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  } finally {
    await handle.close();
  }
}

/**
 * The *.yaml, *.yml and *.json files under a directory, sorted, recursively. Skipped: hidden files
 * and folders, node_modules, nested packages (a folder with its own package.json, such as
 * examples/custom-plugin, whose JSON and fixtures are not resources), package.json,
 * package-lock.json and tsconfig*.json. Only regular files are read; a symbolic link is followed
 * only to a regular file inside the directory, never to a folder (no loops) nor out of the tree.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const root = await realpath(dir);
  return walk(dir, root);
}

async function walk(dir: string, root: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!(await isOtherProject(full, entry.name))) files.push(...(await walk(full, root)));
      continue;
    }
    if (!EXTENSIONS.has(extname(entry.name)) || SKIPPED_FILES.some((re) => re.test(entry.name))) continue;
    if (entry.isFile() || (entry.isSymbolicLink() && (await linksToFileInside(full, root)))) files.push(full);
  }
  return files;
}

async function linksToFileInside(link: string, root: string): Promise<boolean> {
  const target = await realpath(link).catch(() => undefined);
  if (!target || !(target === root || target.startsWith(root + sep))) return false;
  return (await stat(target).catch(() => undefined))?.isFile() ?? false;
}

async function isOtherProject(dir: string, name: string): Promise<boolean> {
  if (name === 'node_modules') return true;
  return (await stat(join(dir, 'package.json')).catch(() => undefined))?.isFile() ?? false;
}
