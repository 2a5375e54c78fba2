/**
 * `exportUsers(client, options)`: run Auth0's users export job end to end — create it (or resume `job`),
 * poll it, download and gunzip its file — returning the rows, or writing them to `out` atomically. Every call
 * goes through the client's generated operations, so the token is least-privileged (`read:users`).
 */
import type { ManagementClient } from '@scopebound/management';
import { ExportDownloadError } from '../errors';
import { downloadExport } from './export-download';
import { formatOfJob, pollJob, startJob, type JobView, type PollContext } from './export-job';
import { resolveExportOptions, type ExportFormat, type ExportOptionsInput } from './export-options';
import type { ExportProgress } from './export-progress';
import { rowsOf } from './records';

export interface ExportUsersOptions extends ExportOptionsInput {
  /** Called once the job exists (created or resumed), with its id: print it so a stopped run can resume. */
  readonly onJob?: (jobId: string, resumed: boolean) => void;
  readonly onProgress?: (progress: ExportProgress) => void;
  readonly signal?: AbortSignal;
  /** Fetch for the download link (default: the runtime's fetch; the link needs no token). */
  readonly fetch?: typeof globalThis.fetch;
  /** Failed polls in a row (network, timeout, 429, 5xx after the client's own retries) before giving up (default 5). */
  readonly maxTransientFailures?: number;
  /** Downloads tried, each with a fresh link from the job (default 3). */
  readonly downloadAttempts?: number;
}

export interface ExportUsersResult {
  readonly jobId: string;
  readonly format: ExportFormat;
  /** Users in the file. */
  readonly count: number;
  /** Unpacked size of the file. */
  readonly bytes: number;
  /** Where the file was written (absolute), when `out` was given. */
  readonly out?: string;
  /** The users, when no `out` was given (CSV rows keyed by column). */
  readonly rows?: readonly Record<string, unknown>[];
  /** The file's text as downloaded, when no `out` was given. */
  readonly text?: string;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function exportUsers(client: ManagementClient, options: ExportUsersOptions = {}): Promise<ExportUsersResult> {
  const resolved = resolveExportOptions(options);
  const attempts = options.downloadAttempts ?? 3;
  const ctx: PollContext = {
    client,
    options: resolved,
    ...(options.signal ? { signal: options.signal } : {}),
    sleep,
    report: (p) => options.onProgress?.(p),
    maxTransientFailures: options.maxTransientFailures ?? 5,
  };
  let job: JobView = await startJob(ctx);
  options.onJob?.(job.id, resolved.job !== undefined);
  const format = resolved.job ? formatOfJob(job) : (resolved.format ?? 'jsonl');
  for (let attempt = 1; ; attempt++) {
    const polled = await pollJob(ctx, job);
    try {
      const file = await downloadExport(polled.location, {
        jobId: job.id,
        format,
        ...(resolved.out ? { out: resolved.out } : {}),
        fetch: options.fetch ?? globalThis.fetch,
        ...(options.signal ? { signal: options.signal } : {}),
        onBytes: (bytes) => ctx.report({ phase: 'downloading', jobId: job.id, bytes }),
      });
      ctx.report({ phase: 'done', jobId: job.id, bytes: file.bytes, rows: file.rows });
      return {
        jobId: job.id,
        format,
        count: file.rows,
        bytes: file.bytes,
        ...(resolved.out ? { out: resolved.out } : {}),
        ...(file.text !== undefined ? { rows: rowsOf(file.text, format), text: file.text } : {}),
      };
    } catch (error) {
      // An expired link or a failed transfer: ask the job for a fresh link, a few times.
      if (!(error instanceof ExportDownloadError) || attempt >= attempts) throw error;
      await sleep(Math.min(5_000, resolved.pollIntervalMs), options.signal);
      job = (await client.jobs.get({ id: job.id }, undefined, options.signal ? { signal: options.signal } : {})) as JobView;
    }
  }
}
