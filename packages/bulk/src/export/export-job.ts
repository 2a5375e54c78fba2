/**
 * The export job on the tenant: create it (or look up the one being resumed), then poll `jobs.get` until it
 * completes, riding out transient failures (the client already retries 429s and idempotent 5xx; the poll
 * loop adds a few more rounds), and turn a `failed` job into an `ExportJobFailedError` with the tenant's
 * summary from `jobs.errors.get`.
 */
import type { ManagementClient } from '@scopebound/management';
import { BulkOptionError, ExportJobFailedError } from '../errors';
import type { ExportFormat, ResolvedExportOptions } from './export-options';
import type { ExportProgress } from './export-progress';

/** The parts of a job the export reads. */
export interface JobView {
  readonly id: string;
  readonly type?: string;
  readonly status: string;
  readonly format?: string;
  readonly percentage_done?: number;
  readonly time_left_seconds?: number;
  readonly location?: string;
  readonly summary?: unknown;
}

export type PollStep = { readonly kind: 'wait' } | { readonly kind: 'download'; readonly location: string } | { readonly kind: 'failed' };

/** What to do after one successful poll. */
export function pollStep(job: JobView): PollStep {
  if (job.status === 'failed') return { kind: 'failed' };
  if (job.status === 'completed') {
    if (typeof job.location === 'string' && job.location !== '') return { kind: 'download', location: job.location };
    return { kind: 'wait' };
  }
  return { kind: 'wait' };
}

/** Whether a failed poll is worth another round: network, timeouts, rate limits and 5xx. */
export function isTransient(error: unknown): boolean {
  const e = error as { code?: string; status?: number };
  if (e.code === 'ERR_NETWORK' || e.code === 'ERR_TIMEOUT' || e.code === 'ERR_RATE_LIMITED') return true;
  return e.code === 'ERR_MANAGEMENT_API' && typeof e.status === 'number' && e.status >= 500;
}

export const formatOfJob = (job: JobView): ExportFormat => (job.format === 'json' ? 'jsonl' : 'csv');

export interface PollContext {
  readonly client: ManagementClient;
  readonly options: ResolvedExportOptions;
  readonly signal?: AbortSignal;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly report: (progress: ExportProgress) => void;
  readonly maxTransientFailures: number;
}

const callOptions = (ctx: PollContext) => (ctx.signal ? { signal: ctx.signal } : {});

/** Create the job from the options, or fetch the one being resumed (checked to be a users export). */
export async function startJob(ctx: PollContext): Promise<JobView> {
  const { client, options } = ctx;
  if (options.job) {
    const job = (await client.jobs.get({ id: options.job }, undefined, callOptions(ctx))) as JobView;
    if (job.type !== undefined && job.type !== 'users_export') throw new BulkOptionError('job', `${options.job} is a ${job.type} job, not a users export`);
    if (options.format && job.format && formatOfJob(job) !== options.format) {
      throw new BulkOptionError('format', `job ${options.job} exports ${formatOfJob(job)}; drop --format or pass ${formatOfJob(job)}`);
    }
    return job;
  }
  const body = {
    format: options.format === 'csv' ? ('csv' as const) : ('json' as const),
    ...(options.fields ? { fields: options.fields.map((f) => ({ name: f.name, ...(f.exportAs ? { export_as: f.exportAs } : {}) })) } : {}),
    ...(options.connectionId ? { connection_id: options.connectionId } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  };
  return (await client.jobs.usersExports.create(body, callOptions(ctx))) as JobView;
}

async function failureSummary(ctx: PollContext, job: JobView): Promise<string> {
  try {
    const errors = (await ctx.client.jobs.errors.get({ id: job.id }, undefined, callOptions(ctx))) as unknown;
    const messages = Array.isArray(errors)
      ? errors.flatMap((e: { errors?: { message?: string }[] }) => (e.errors ?? []).map((x) => x.message)).filter((m): m is string => typeof m === 'string')
      : [];
    if (messages.length) return messages.join('; ');
  } catch {
    // The summary is a courtesy: the job's own record below still says it failed.
  }
  return job.summary !== undefined ? `summary ${JSON.stringify(job.summary)}` : 'the tenant gave no details.';
}

/** Poll until the job has a download location; throws `ExportJobFailedError` for a failed job. */
export async function pollJob(ctx: PollContext, first: JobView): Promise<{ job: JobView; location: string }> {
  let job = first;
  let failures = 0;
  for (;;) {
    ctx.report({ phase: job.status === 'processing' ? 'processing' : 'pending', jobId: job.id, ...(job.percentage_done !== undefined ? { percent: job.percentage_done } : {}), ...(job.time_left_seconds !== undefined ? { timeLeftSeconds: job.time_left_seconds } : {}) });
    const step = pollStep(job);
    if (step.kind === 'download') return { job, location: step.location };
    if (step.kind === 'failed') throw new ExportJobFailedError(job.id, await failureSummary(ctx, job));
    await ctx.sleep(ctx.options.pollIntervalMs, ctx.signal);
    try {
      job = (await ctx.client.jobs.get({ id: job.id }, undefined, callOptions(ctx))) as JobView;
      failures = 0;
    } catch (error) {
      if (!isTransient(error) || ++failures > ctx.maxTransientFailures || ctx.signal?.aborted) throw error;
    }
  }
}
