import { parseArgs } from 'node:util';
import { version } from '../package.json';
import type { Command } from './command';
import { bootstrapCommand } from './commands/bootstrap';
import { discoverCommand } from './commands/discover';
import { schemaCommand } from './commands/schema';
import { serveCommand } from './commands/serve';
import { translateCommand } from './commands/translate';
import { validateCommand } from './commands/validate';
import { EXIT_OK, EXIT_USAGE, isUsageError, type CliIo } from './io';

/** Every subcommand; a new one is one entry here. */
export const commands: readonly Command[] = [translateCommand, validateCommand, discoverCommand, schemaCommand, serveCommand, bootstrapCommand];

/** The version of @backendkit/cli, as `backendkit --version` prints it. */
export const VERSION: string = version;

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'backendkit: translate gateway Backend resources into Envoy cluster configuration.',
    '',
    'Usage: backendkit <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "backendkit help <command>" (or "backendkit <command> --help") for the options of a command,',
    '"backendkit --version" for the version.',
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [`Usage: ${command.usage}`, '', ...command.help, ''].join('\n');
}

/** Runs the CLI and returns its exit status. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  if (name === 'help' && rest.length > 0) {
    const command = await findCommand(rest[0]!, io);
    if (!command) return EXIT_USAGE;
    io.stdout(commandHelp(command));
    return EXIT_OK;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = await findCommand(name, io);
  if (!command) return EXIT_USAGE;
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout(commandHelp(command));
      return EXIT_OK;
    }
    return await command.run(positionals, values, io);
  } catch (error) {
    // Messages echo paths and arguments: escaped, so a newline or an escape in one cannot forge lines (docs/security.md).
    const { printable } = await import('@backendkit/core/helpers');
    if (isUsageError(error) || isParseArgsError(error)) {
      io.stderr(`backendkit ${command.name}: ${printable((error as Error).message)}${await optionHint(error as Error, command)}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`backendkit ${command.name}: unexpected failure: ${printable(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_USAGE;
  }
}

/** The command of that name; otherwise a message (with the closest name) and the overview. */
async function findCommand(name: string, io: CliIo): Promise<Command | undefined> {
  const command = commands.find((c) => c.name === name);
  if (command) return command;
  const { closestMatch, printable } = await import('@backendkit/core/helpers');
  const hint = closestMatch(
    name,
    commands.map((c) => c.name),
  );
  io.stderr(`backendkit: unknown command "${printable(name)}"${hint ? ` (did you mean "${hint}"?)` : ''}\n\n${overview()}`);
  return undefined;
}

/** ` (did you mean "--output"?)` after parseArgs' "Unknown option '--ouput'". */
async function optionHint(error: Error, command: Command): Promise<string> {
  const unknown = /Unknown option '--([^'=]+)'/.exec(error.message)?.[1];
  if (!unknown) return '';
  const { closestMatch } = await import('@backendkit/core/helpers');
  const hint = closestMatch(unknown, [...Object.keys(command.options), 'help']);
  return hint ? ` (did you mean "--${hint}"?)` : '';
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
