import { parseArgs } from 'node:util';
import type { Command } from './command';
import { bootstrapCommand } from './commands/bootstrap';
import { discoverCommand } from './commands/discover';
import { schemaCommand } from './commands/schema';
import { serveCommand } from './commands/serve';
import { translateCommand } from './commands/translate';
import { EXIT_OK, EXIT_USAGE, isUsageError, type CliIo } from './io';

/** Every subcommand; a new one is one entry here. */
export const commands: readonly Command[] = [translateCommand, discoverCommand, schemaCommand, serveCommand, bootstrapCommand];

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
    'Run "backendkit <command> --help" for the options of a command.',
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [`Usage: ${command.usage}`, '', ...command.help, ''].join('\n');
}

/** Runs the CLI and returns its exit status. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`backendkit: unknown command "${name}"\n\n${overview()}`);
    return EXIT_USAGE;
  }
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
    if (isUsageError(error) || isParseArgsError(error)) {
      io.stderr(`backendkit ${command.name}: ${(error as Error).message}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`backendkit ${command.name}: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
