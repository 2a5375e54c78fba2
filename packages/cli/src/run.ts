/** `runCli`: parse the command line and run one command (the `scopebound` binary and tests call it). */
import { parseArgs } from 'node:util';
import { bulkCommand, bulkOptions } from './commands/bulk';
import { callCommand, callOptions } from './commands/call';
import { emulatorCommand, emulatorOptions } from './commands/emulator';
import { explorerCommand, explorerOptions } from './commands/explorer';
import { grantsCommand, grantsOptions } from './commands/grants';
import { operationsCommand, scopesCommand } from './commands/operations';
import { tokenCommand, tokenOptions } from './commands/token';
import { CliUsageError, type CliIO } from './io';

export const USAGE = `scopebound <command> [options]

Commands:
  operations [--search TEXT] [--json]     list Management API operations with their scopes
  scopes <operation> [--body JSON]        the scopes a call needs, narrowest first
                                           (operation: users.update or "PATCH /users/{id}")
  emulator [--port 4010] [--host 127.0.0.1] [--seed demo|none|FILE] [--domain D] [--narrow-scopes]
                                           start a local Auth0 tenant
  token --scopes "read:users ..."         mint a token (AUTH0_DOMAIN or --base-url, AUTH0_CLIENT_ID,
                                           AUTH0_CLIENT_SECRET)
  call <operation> [--params JSON] [--body JSON]
                                           call the Management API with a least-privileged token
  bulk --input FILE.jsonl [--journal FILE] [--dry-run] [--concurrency N|auto] [--failures FILE]
       [--resend-in-flight] [--rate R --burst B]
                                           run one call per line at the tenant's limit; resumable from the journal
  explorer [--port 4011] [--emulator]      the explorer page (real tenant when AUTH0_* are set, else an emulator)
  grants plan --usage FILE [--out PLAN] [--max-apps N]
                                           the minimal grant for recorded usage and a pool of right-sized apps
  grants audit --usage FILE [--strict]     each M2M app's grant vs usage (exit 1 when over-granted)
  grants apply --plan FILE [--yes] [--prune] [--credentials FILE]
                                           create/update the pool's apps and grants (dry run without --yes)
  help                                     this text`;

export type Command = (positionals: string[], values: Record<string, string | boolean | undefined>, io: CliIO) => Promise<number> | number;

/** Commands with their own option sets. */
export const extraCommands = new Map<string, { options: Record<string, { type: 'string' | 'boolean' }>; run: Command }>([
  ['emulator', { options: emulatorOptions, run: (_p, v, io) => emulatorCommand(v as never, io) }],
  ['token', { options: tokenOptions, run: (_p, v, io) => tokenCommand(v as never, io) }],
  ['call', { options: callOptions, run: (p, v, io) => callCommand(p, v as never, io) }],
  ['bulk', { options: bulkOptions, run: (_p, v, io) => bulkCommand(v as never, io) }],
  ['explorer', { options: explorerOptions, run: (_p, v, io) => explorerCommand(v as never, io) }],
  ['grants', { options: grantsOptions, run: (p, v, io) => grantsCommand(p, v as never, io) }],
]);

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      case 'operations': {
        const { values } = parseArgs({ args: rest, options: { search: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: false });
        return operationsCommand(values, io);
      }
      case 'scopes': {
        const { values, positionals } = parseArgs({ args: rest, options: { body: { type: 'string' } }, allowPositionals: true });
        return scopesCommand({ operation: positionals.join(' ') || undefined, body: values.body }, io);
      }
      default: {
        const extra = extraCommands.get(command);
        if (!extra) throw new CliUsageError(`Unknown command "${command}". Run \`scopebound help\` for the list.`);
        const { values, positionals } = parseArgs({ args: rest, options: extra.options, allowPositionals: true });
        return await extra.run(positionals, values, io);
      }
    }
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e instanceof CliUsageError || e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      io.err(`scopebound: ${e.message}`);
      return 2;
    }
    io.err(`scopebound: ${e.message}${e.code ? ` (${e.code})` : ''}`);
    return 1;
  }
}
