/** `runCli`: parse the command line and run one command (the `scopebound` binary and tests call it). */
import { parseArgs } from 'node:util';
import pkg from '../package.json' with { type: 'json' };
import { commandHelp, COMMANDS, usage } from './commands/registry';
import { CliUsageError, type CliIO } from './io';

export const USAGE = usage();
export const VERSION: string = pkg.version;

const PARSE_ERRORS = new Set(['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL']);

/** Exit 0 with output, 1 when the command failed, 2 for a command line that cannot be run (with a hint). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(USAGE);
    return 2;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    io.out(VERSION);
    return 0;
  }
  const spec = COMMANDS.get(command);
  if (!spec) {
    io.err(`scopebound: unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command, spec));
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({ args: [...rest], options: spec.options, allowPositionals: true, strict: true });
    return await spec.run(positionals, values, io);
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e instanceof CliUsageError || PARSE_ERRORS.has(e.code ?? '')) {
      const message = PARSE_ERRORS.has(e.code ?? '') ? e.message.split('. ')[0]!.replace(/\.$/, '') : e.message;
      io.err(`scopebound ${command}: ${message}\nRun \`scopebound ${command} --help\` for its flags.`);
      return 2;
    }
    io.err(`scopebound ${command}: ${e.message}${e.code ? ` (${e.code})` : ''}`);
    return 1;
  }
}
