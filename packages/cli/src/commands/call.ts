/** `scopebound call`: one Management API operation with a least-privileged token (the only command that needs the full client). */
import { createManagementClient, type ManagementClient } from '@scopebound/management';
import { operations } from '@scopebound/management/operations';
import { CliUsageError, type CliIO } from '../io';
import { connectionFrom, connectionOptions, type ConnectionArgs } from './connect';
import { findOperation } from './operations';

export const callOptions = { ...connectionOptions, params: { type: 'string' }, body: { type: 'string' }, all: { type: 'boolean' } } as const;

function clientFrom(args: ConnectionArgs, io: CliIO): ManagementClient {
  const { endpoint, tokens } = connectionFrom(args, io);
  return createManagementClient({ ...endpoint, tokens });
}

function json(flag: string, value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new CliUsageError(`--${flag} must be JSON, e.g. --${flag} '{"id":"auth0|123"}'.`);
  }
}

/** Call one operation with a least-privileged token; prints the scopes used on stderr and the JSON result on stdout. */
export async function callCommand(positionals: string[], args: ConnectionArgs & { params?: string; body?: string; all?: boolean }, io: CliIO): Promise<number> {
  const ref = positionals.join(' ');
  if (!ref) throw new CliUsageError(`call needs an operation, e.g. \`scopebound call users.get --params '{"id":"auth0|123"}'\` (${operations.length} operations: see \`scopebound operations\`).`);
  const op = findOperation(ref);
  const params = json('params', args.params) as Record<string, unknown> | undefined;
  const body = json('body', args.body);
  if (args.all && op.pagination === 'none') throw new CliUsageError(`${op.name} is not paginated; drop --all.`);
  if (args.all && body !== undefined) throw new CliUsageError('--all reads every page of a list; it takes --params, not --body.');
  const mgmt = clientFrom(args, io);
  try {
    const decision = mgmt.scopesFor(op.name as never, { params, body } as never) as { request?: readonly string[] };
    if (decision.request) io.err(`scopes: ${decision.request.join(' ')}`);
    if (args.all) {
      // Every item of every page, one JSON value per line (pipes into jq, head, wc -l).
      const method = op.name.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], mgmt) as { all(p?: unknown): AsyncIterable<unknown> };
      for await (const item of method.all(params)) io.out(JSON.stringify(item));
      return 0;
    }
    const result = await mgmt.request(`${op.method} /api/v2${op.path}` as never, { params, body } as never);
    io.out(JSON.stringify(result, null, 2) ?? '');
    return 0;
  } finally {
    await mgmt.close();
  }
}
