/** The errors `@scopebound/bulk` throws: `ScopeboundError` subclasses with stable codes and what to do next. */
import { ScopeboundError } from '@scopebound/token';

/** One input line that cannot become a call: its 1-based line number and why. */
export interface LineProblem {
  readonly line: number;
  readonly message: string;
}

/** The input has malformed lines; nothing was sent. */
export class BulkInputError extends ScopeboundError {
  static override readonly code: string = 'ERR_BULK_INPUT';
  declare readonly code: 'ERR_BULK_INPUT';
  readonly problems: readonly LineProblem[];
  constructor(problems: readonly LineProblem[]) {
    const shown = problems.slice(0, 20).map((p) => `  line ${p.line}: ${p.message}`);
    const more = problems.length > 20 ? [`  … and ${problems.length - 20} more`] : [];
    super('ERR_BULK_INPUT', [`${problems.length} malformed input line(s); fix them and rerun (nothing was sent):`, ...shown, ...more].join('\n'));
    this.problems = problems;
  }
}

/** The journal was written for a different input (a call at the same position differs). */
export class JournalMismatchError extends ScopeboundError {
  static override readonly code: string = 'ERR_BULK_JOURNAL_MISMATCH';
  declare readonly code: 'ERR_BULK_JOURNAL_MISMATCH';
  readonly seq: number;
  constructor(seq: number, journal: string) {
    super(
      'ERR_BULK_JOURNAL_MISMATCH',
      `Call ${seq} of the input differs from call ${seq} in the journal ${journal}: the input changed since that run. Restore the original input to resume it, or start a new run with another --journal file.`,
    );
    this.seq = seq;
  }
}

/** A journal line (other than a torn last line) is not a journal entry. */
export class JournalCorruptError extends ScopeboundError {
  static override readonly code: string = 'ERR_BULK_JOURNAL_CORRUPT';
  declare readonly code: 'ERR_BULK_JOURNAL_CORRUPT';
  constructor(journal: string, line: number) {
    super('ERR_BULK_JOURNAL_CORRUPT', `Journal ${journal} line ${line} is not a journal entry; it was not written by scopebound bulk or was edited. Move it away to start over (completed calls would then be sent again).`);
  }
}

/** A bad `runBulk` option (`option` names it). */
export class BulkOptionError extends ScopeboundError {
  static override readonly code: string = 'ERR_BULK_OPTION';
  declare readonly code: 'ERR_BULK_OPTION';
  readonly option: string;
  constructor(option: string, message: string) {
    super('ERR_BULK_OPTION', `${option}: ${message}`);
    this.option = option;
  }
}

/** A users export job ended `failed` on the tenant; `summary` is what the tenant said about it. */
export class ExportJobFailedError extends ScopeboundError {
  static override readonly code: string = 'ERR_EXPORT_JOB_FAILED';
  declare readonly code: 'ERR_EXPORT_JOB_FAILED';
  readonly jobId: string;
  readonly summary: string;
  constructor(jobId: string, summary: string) {
    super(
      'ERR_EXPORT_JOB_FAILED',
      `Export job ${jobId} failed on the tenant: ${summary} Nothing was written. Start a new export (without --job); if it fails again, check the tenant's logs for the job.`,
    );
    this.jobId = jobId;
    this.summary = summary;
  }
}

/** The export file could not be downloaded (or unpacked); nothing was written. */
export class ExportDownloadError extends ScopeboundError {
  static override readonly code: string = 'ERR_EXPORT_DOWNLOAD';
  declare readonly code: 'ERR_EXPORT_DOWNLOAD';
  readonly jobId: string;
  readonly status?: number;
  constructor(jobId: string, reason: string, status?: number) {
    super('ERR_EXPORT_DOWNLOAD', `The file of export job ${jobId} could not be downloaded (${reason}); nothing was written. Rerun with --job ${jobId} (jobExportUsers option \`job\`) to fetch it again without a new export.`);
    this.jobId = jobId;
    if (status !== undefined) this.status = status;
  }
}
