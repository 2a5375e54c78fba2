/** What the tenant keeps about one job (users export or users import), and the settings every new job is given. */

export type JobType = 'users_export' | 'users_import';

export interface ExportField {
  name: string;
  export_as?: string;
}

/** One user's problems in an import, as `GET /jobs/{id}/errors` lists them. */
export interface JobUserError {
  user: Record<string, unknown>;
  errors: { code: string; message: string; path?: string }[];
}

export interface JobRecord {
  id: string;
  type: JobType;
  created_at: string;
  /** Tenant-clock instants (ms): processing starts at `startsAt` and ends at `endsAt`. */
  startsAt: number;
  endsAt: number;
  connection_id?: string;
  connection?: string;
  /** Export: file format, row limit, fields. */
  format?: 'csv' | 'json';
  limit?: number;
  fields?: ExportField[];
  /** Import: options and the uploaded file's text. */
  upsert?: boolean;
  external_id?: string;
  send_completion_email?: boolean;
  usersText?: string;
  /** An injected failure, fixed when the job was created. */
  failure?: string;
  /** Set when the job first finished: the export file, or the import's counts and per-user errors. */
  result?: {
    file?: string;
    summary?: { failed: number; updated: number; inserted: number; total: number };
    errors?: JobUserError[];
  };
  /** Download links handed out for the export file: token → expiry (tenant-clock ms). */
  links: Record<string, number>;
}

/** An injected failure: the next `times` jobs (of `type`, or any) fail with `message`. */
export interface JobFailureRule {
  type?: JobType;
  message?: string;
  times?: number;
}

/** How long a job takes and how long a download link lives; failures waiting for the next jobs. */
export interface JobSettings {
  pendingMs: number;
  processingMs: number;
  downloadTtlMs: number;
  failures: JobFailureRule[];
}

/** Auth0's export links are short-lived signed URLs (60 s). */
export const DEFAULT_JOB_SETTINGS: Readonly<Omit<JobSettings, 'failures'>> = Object.freeze({ pendingMs: 500, processingMs: 2_000, downloadTtlMs: 60_000 });

export const DEFAULT_FAILURE_MESSAGE = 'The job failed on the tenant (injected by the emulator).';

/** Take the failure (if any) that applies to a new job of `type`, consuming one of its `times`. */
export function takeFailure(settings: JobSettings, type: JobType): string | undefined {
  const i = settings.failures.findIndex((f) => f.type === undefined || f.type === type);
  if (i < 0) return undefined;
  const rule = settings.failures[i]!;
  if (rule.times !== undefined) {
    if (rule.times <= 1) settings.failures.splice(i, 1);
    else settings.failures[i] = { ...rule, times: rule.times - 1 };
  }
  return rule.message ?? DEFAULT_FAILURE_MESSAGE;
}

export type JobTiming = Partial<Omit<JobSettings, 'failures'>>;

/** Check a timing patch and a failure rule (admin input), throwing a message that names the bad field. */
export function jobSettingsProblem(timing: JobTiming, rule?: JobFailureRule): string | undefined {
  for (const [key, value] of Object.entries(timing)) {
    if (!['pendingMs', 'processingMs', 'downloadTtlMs'].includes(key)) return `${key}: not a job setting (pendingMs, processingMs, downloadTtlMs)`;
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 86_400_000)) return `${key}: must be milliseconds from 0 to 86400000`;
  }
  if (rule) {
    if (rule.type !== undefined && rule.type !== 'users_export' && rule.type !== 'users_import') return 'type: must be users_export or users_import';
    if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 1)) return 'times: must be a positive integer';
    if (rule.message !== undefined && (typeof rule.message !== 'string' || rule.message === '')) return 'message: must be a non-empty string';
  }
  return undefined;
}
