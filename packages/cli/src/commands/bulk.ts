/** `scopebound bulk`: run a JSONL file of Management API calls at the tenant's limit, journaled and resumable. */
import {
  foldJournal, formatDuration, journalConflict, JournalMismatchError, planBulk, progressBar, progressLine,
  readCalls, readJournal, runBulk, validateInput, writeFailureReport, type BulkPlan, type BulkResult,
} from '@scopebound/bulk';
import { createManagementClient } from '@scopebound/management';
import { CliUsageError, type CliIO } from '../io';
import { connectionFrom, connectionOptions, type ConnectionArgs } from './connect';
import { progressReporter } from './progress-reporter';

export const bulkOptions = {
  ...connectionOptions,
  input: { type: 'string' },
  journal: { type: 'string' },
  failures: { type: 'string' },
  'dry-run': { type: 'boolean' },
  concurrency: { type: 'string' },
  'resend-in-flight': { type: 'boolean' },
  rate: { type: 'string' },
  burst: { type: 'string' },
} as const;

export interface BulkArgs extends ConnectionArgs {
  input?: string;
  journal?: string;
  failures?: string;
  'dry-run'?: boolean;
  concurrency?: string;
  'resend-in-flight'?: boolean;
  rate?: string;
  burst?: string;
}

function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliUsageError(`--${flag} must be a positive number.`);
  return n;
}

function concurrencyOf(value: string | undefined): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new CliUsageError('--concurrency must be auto or an integer from 1 to 1024.');
  return n;
}

function printPlan(plan: BulkPlan, rate: number, burst: number, io: CliIO): number {
  for (const p of plan.refused) io.err(`line ${p.line}: ${p.message}`);
  io.out(`${plan.calls} calls, ${plan.refused.length} refused by scope rules; nothing was sent (dry run).`);
  io.out(`tokens (one mint per scope set, narrowest first):`);
  for (const s of plan.scopeSets) io.out(`  ${s.scopes.join(' ')}  (${s.calls} calls)`);
  io.out(`expected duration at ${rate}/s, burst ${burst}: ${formatDuration(plan.expectedMs)} (pass --rate/--burst for your tenant's limits)`);
  if (plan.importJob) io.out(plan.importJob);
  return plan.refused.length > 0 ? 1 : 0;
}

function summary(result: BulkResult, io: CliIO, failuresPath: string, reported: number): void {
  const s = (result.elapsedMs / 1000).toFixed(1);
  io.out(`${result.done}/${result.total} done (${result.skipped} from earlier runs), ${result.failed.length} failed, ${result.toCheck.length} to check, ${result.sent} sent in ${s}s${result.interrupted ? ' (interrupted: rerun the same command to resume)' : ''}`);
  for (const f of result.failed.slice(0, 10)) io.err(`line ${f.line ?? f.seq}: ${f.call.operation} ${f.code}${f.status ? ` ${f.status}` : ''}: ${f.message}${f.ambiguous ? ' (may have been applied)' : ''}`);
  for (const c of result.toCheck.slice(0, 10)) io.err(`line ${c.line ?? c.seq}: ${c.call.operation} was in flight when a run stopped; check whether it was applied (or rerun with --resend-in-flight)`);
  if (reported > 0) io.err(`failure report: ${failuresPath} (${reported} lines)`);
}

export async function bulkCommand(args: BulkArgs, io: CliIO): Promise<number> {
  const input = args.input;
  if (!input) throw new CliUsageError('bulk needs --input FILE.jsonl: one call per line, e.g. {"operation":"users.update","params":{"id":"auth0|123"},"body":{"app_metadata":{"plan":"pro"}}}');
  const journalPath = args.journal ?? `${input}.journal`;
  const failuresPath = args.failures ?? `${input}.failures.jsonl`;
  const concurrency = concurrencyOf(args.concurrency);
  const rate = positive('rate', args.rate, 15);
  const burst = positive('burst', args.burst, 50);
  // Before anything is sent: every line well-formed, and the journal written for this same input.
  const records = args['dry-run'] ? new Map() : foldJournal(readJournal(journalPath));
  let seq = 0;
  let conflict: number | undefined;
  let calls: number;
  try {
    ({ calls } = await validateInput(input, (call) => {
      seq += 1;
      if (conflict === undefined && journalConflict(records, seq, call)) conflict = seq;
    }));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw new CliUsageError(`--input ${input}: no such file.`);
    if ((error as { code?: string }).code !== 'ERR_BULK_INPUT') throw error;
    io.err(`scopebound: ${(error as Error).message}`);
    return 2;
  }
  if (conflict !== undefined) throw new JournalMismatchError(conflict, journalPath);
  const { endpoint, tokens } = connectionFrom(args, io);
  const client = createManagementClient({ ...endpoint, tokens });
  try {
    if (args['dry-run']) return printPlan(await planBulk(readCalls(input), { client, rate, burst }), rate, burst, io);
    const stop = new AbortController();
    void io.untilSignal?.().then(() => stop.abort());
    const reporter = progressReporter(io);
    const result = await runBulk(readCalls(input), {
      client, journal: journalPath, concurrency, total: calls, signal: stop.signal,
      resendInFlight: Boolean(args['resend-in-flight']), onProgress: (p) => reporter.update({ bar: (columns) => progressBar(p, columns), line: () => progressLine(p) }),
    });
    reporter.end();
    const reported = result.failed.length + result.toCheck.length > 0 ? await writeFailureReport(failuresPath, result) : 0;
    summary(result, io, failuresPath, reported);
    if (result.interrupted) return 130;
    return reported > 0 ? 1 : 0;
  } finally {
    await client.close();
  }
}
