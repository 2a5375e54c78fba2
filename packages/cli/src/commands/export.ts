/**
 * `scopebound export users`: Auth0's users export job from the command line — progress while the tenant
 * works, the file gunzipped to `--out` (atomically) or stdout, `--job ID` to resume polling an existing job.
 */
import { BulkOptionError, exportProgressBar, exportProgressLine, exportUsers, parseFieldList, type ExportFormat } from '@scopebound/bulk';
import { createManagementClient } from '@scopebound/management';
import { CliUsageError, type CliIO } from '../io';
import { connectionFrom, connectionOptions, type ConnectionArgs } from './connect';
import { progressReporter } from './progress-reporter';

export const exportOptions = {
  ...connectionOptions,
  format: { type: 'string' },
  fields: { type: 'string' },
  out: { type: 'string' },
  job: { type: 'string' },
  connection: { type: 'string' },
  limit: { type: 'string' },
  'poll-interval': { type: 'string' },
} as const;

export interface ExportArgs extends ConnectionArgs {
  format?: string;
  fields?: string;
  out?: string;
  job?: string;
  connection?: string;
  limit?: string;
  'poll-interval'?: string;
}

/** The flag each `exportUsers` option comes from, for errors in the command line's own words. */
const FLAG: Record<string, string> = { format: '--format', fields: '--fields', out: '--out', job: '--job', connectionId: '--connection', limit: '--limit', pollIntervalMs: '--poll-interval' };

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new CliUsageError(`--${flag} must be an integer (got ${value}).`);
  return n;
}

function format(value: string | undefined): ExportFormat | undefined {
  if (value === undefined) return undefined;
  if (value === 'jsonl' || value === 'csv') return value;
  throw new CliUsageError(`--format must be jsonl or csv (got ${value}).`);
}

export async function exportCommand(positionals: string[], args: ExportArgs, io: CliIO): Promise<number> {
  if (positionals.length !== 1 || positionals[0] !== 'users') throw new CliUsageError('say what to export: `scopebound export users` (users is the one export Auth0 offers).');
  const limit = integer('limit', args.limit);
  const pollIntervalMs = integer('poll-interval', args['poll-interval']);
  const options = {
    ...(format(args.format) ? { format: format(args.format)! } : {}),
    ...(args.fields !== undefined ? { fields: parseFieldList(args.fields) } : {}),
    ...(args.out !== undefined ? { out: args.out } : {}),
    ...(args.job !== undefined ? { job: args.job } : {}),
    ...(args.connection !== undefined ? { connectionId: args.connection } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(pollIntervalMs !== undefined ? { pollIntervalMs } : {}),
  };
  const { endpoint, tokens } = connectionFrom(args, io);
  const client = createManagementClient({ ...endpoint, tokens });
  const stop = new AbortController();
  void io.untilSignal?.().then(() => stop.abort());
  const reporter = progressReporter(io, { minIntervalMs: 0 });
  let jobId: string | undefined;
  try {
    const result = await exportUsers(client, {
      ...options,
      signal: stop.signal,
      onJob: (id, resumed) => {
        jobId = id;
        io.err(`export ${id}: ${resumed ? 'resumed' : 'started'} (if this stops, resume with: scopebound export users --job ${id}${args.out ? ` --out ${args.out}` : ''})`);
      },
      onProgress: (p) => reporter.update({ bar: (columns) => exportProgressBar(p, columns), line: () => exportProgressLine(p) }, { force: p.phase === 'done' }),
    });
    reporter.end();
    if (result.out) io.err(`export ${result.jobId}: ${result.count} users written to ${result.out} (${result.format})`);
    else for (const line of (result.text ?? '').split('\n').filter((l) => l !== '')) io.out(line);
    return 0;
  } catch (error) {
    reporter.end();
    if (error instanceof BulkOptionError) throw new CliUsageError(error.message.replace(/^(\w+):/, (_m, o: string) => `${FLAG[o] ?? o}:`));
    if (stop.signal.aborted && jobId) {
      io.err(`export ${jobId}: stopped; the job goes on on the tenant — resume with: scopebound export users --job ${jobId}`);
      return 130;
    }
    throw error;
  } finally {
    await client.close();
  }
}
