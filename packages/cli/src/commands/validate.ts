import type { Command } from '../command';
import { TRANSLATION_HELP, TRANSLATION_OPTIONS } from '../options';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check inputs as translate does; print only diagnostics',
  usage: 'backendkit validate <file|dir|->... [--diagnostics text|json] [--quiet] [--ec2-instances FILE | --discover-ec2]',
  help: [
    'Reads and translates the inputs exactly as translate does, but prints nothing on standard output:',
    'the diagnostics and a summary line on standard error, and the exit status. For CI and pre-commit hooks.',
    '',
    'Options:',
    ...TRANSLATION_HELP,
    '',
    'Exit status: 0 all valid (warnings allowed); 1 some resource is invalid; 2 usage or I/O error.',
  ],
  options: TRANSLATION_OPTIONS,
  async run(positionals, values, io) {
    const { reportTranslation, translateInputs } = await import('../translation');
    return reportTranslation(await translateInputs(positionals, values, io), values, io);
  },
};
