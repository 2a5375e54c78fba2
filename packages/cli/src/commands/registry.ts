/**
 * Every `scopebound` command with its usage text, its flags and how to run it: one table that `runCli`,
 * `scopebound help` and `scopebound <command> --help` all read.
 */
import { CliUsageError, type CliIO } from '../io';
import { bulkCommand, bulkOptions } from './bulk';
import { callCommand, callOptions } from './call';
import { emulatorCommand, emulatorOptions } from './emulator';
import { explorerCommand, explorerOptions } from './explorer';
import { exportCommand, exportOptions } from './export';
import { grantsCommand, grantsOptions } from './grants';
import { operationsCommand, scopesCommand } from './operations';
import { tokenCommand, tokenOptions } from './token';

export type Flags = Record<string, { type: 'string' | 'boolean' }>;
export type Run = (positionals: string[], values: Record<string, string | boolean | undefined>, io: CliIO) => Promise<number> | number;

export interface CommandSpec {
  /** Usage lines (the first is the synopsis), as `help` prints them. */
  readonly usage: readonly string[];
  readonly options: Flags;
  readonly run: Run;
}

const connection = '(tenant: --domain/AUTH0_DOMAIN or --base-url/AUTH0_BASE_URL; AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET)';

export const COMMANDS = new Map<string, CommandSpec>([
  ['operations', {
    usage: ['operations [--search TEXT] [--json]', 'list Management API operations with their scopes (search: name, path, scope or title)'],
    options: { search: { type: 'string' }, json: { type: 'boolean' } },
    run: (p, v, io) => {
      if (p.length > 0) throw new CliUsageError(`operations takes no operation name; to look one up use --search "${p.join(' ')}" or \`scopebound scopes ${p.join(' ')}\`.`);
      return operationsCommand(v as never, io);
    },
  }],
  ['scopes', {
    usage: ['scopes <operation> [--body JSON]', 'the scopes a call needs, narrowest first (operation: users.update or "PATCH /users/{id}")'],
    options: { body: { type: 'string' } },
    run: (p, v, io) => scopesCommand({ operation: p.join(' ') || undefined, body: v.body as string | undefined }, io),
  }],
  ['emulator', {
    usage: ['emulator [--port 4010] [--host 127.0.0.1] [--seed demo|none|FILE] [--domain D] [--narrow-scopes] [--rate-limit free|enterprise|default|off]', 'start a local Auth0 tenant'],
    options: emulatorOptions,
    run: (_p, v, io) => emulatorCommand(v as never, io),
  }],
  ['token', {
    usage: ['token --scopes "read:users ..." [--decode]', `mint a token ${connection}`],
    options: tokenOptions,
    run: (_p, v, io) => tokenCommand(v as never, io),
  }],
  ['call', {
    usage: ['call <operation> [--params JSON] [--body JSON] [--all]', `call the Management API with a least-privileged token; --all follows every page ${connection}`],
    options: callOptions,
    run: (p, v, io) => callCommand(p, v as never, io),
  }],
  ['bulk', {
    usage: [
      'bulk --input FILE.jsonl [--journal FILE] [--dry-run] [--concurrency N|auto] [--failures FILE] [--resend-in-flight] [--rate R --burst B]',
      `run one call per line at the tenant's limit; resumable from the journal ${connection}`,
    ],
    options: bulkOptions,
    run: (_p, v, io) => bulkCommand(v as never, io),
  }],
  ['export', {
    usage: [
      'export users [--format jsonl|csv] [--fields user_id,email,user_metadata.plan=plan] [--out FILE] [--connection con_…] [--limit N] [--job ID]',
      `Auth0's users export job with progress; the file to --out (atomically) or stdout; --job resumes polling a job ${connection}`,
    ],
    options: exportOptions,
    run: (p, v, io) => exportCommand(p, v as never, io),
  }],
  ['explorer', {
    usage: ['explorer [--port 4011] [--emulator]', 'the explorer page (a real tenant when AUTH0_* are set, else an emulator)'],
    options: explorerOptions,
    run: (_p, v, io) => explorerCommand(v as never, io),
  }],
  ['grants', {
    usage: [
      'grants plan --usage FILE [--out PLAN] [--max-apps N] [--prefix NAME]',
      'the minimal grant for recorded usage and a pool of right-sized applications',
      'grants audit --usage FILE [--strict]',
      `each M2M application's grant vs the usage (exit 1 when over-granted) ${connection}`,
      'grants apply --plan FILE [--yes] [--prune] [--credentials FILE]',
      "create/update the pool's applications and grants (a dry run without --yes)",
    ],
    options: grantsOptions,
    run: (p, v, io) => grantsCommand(p, v as never, io),
  }],
]);

/** One command's help: its synopsis lines and descriptions, and its flags. */
export function commandHelp(name: string, spec: CommandSpec): string {
  const lines: string[] = [];
  for (let i = 0; i < spec.usage.length; i += 2) lines.push(`scopebound ${spec.usage[i]}`, `    ${spec.usage[i + 1] ?? ''}`);
  const flags = Object.entries(spec.options).map(([flag, o]) => `--${flag}${o.type === 'string' ? ' VALUE' : ''}`);
  if (flags.length) lines.push('', `flags: ${flags.join(', ')}, --help`);
  return lines.join('\n');
}

export function usage(): string {
  const lines = ['scopebound <command> [options]', '', 'Commands:'];
  for (const spec of COMMANDS.values()) {
    for (let i = 0; i < spec.usage.length; i += 2) lines.push(`  ${spec.usage[i]}`, `      ${spec.usage[i + 1] ?? ''}`);
  }
  lines.push('  help | --help | --version', '', 'Run `scopebound <command> --help` for one command.');
  return lines.join('\n');
}
