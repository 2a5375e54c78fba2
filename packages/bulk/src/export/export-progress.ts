/** An export's progress as data (phase, the job's percentage and time left, bytes and rows written) and its two renderings. */
import { barLine, formatDuration } from '../progress';

export interface ExportProgress {
  readonly phase: 'pending' | 'processing' | 'downloading' | 'done';
  readonly jobId: string;
  /** The job's `percentage_done` while processing. */
  readonly percent?: number;
  readonly timeLeftSeconds?: number;
  /** Unpacked bytes written so far (downloading, done). */
  readonly bytes?: number;
  /** Rows in the file (done). */
  readonly rows?: number;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function describe(p: ExportProgress): string {
  switch (p.phase) {
    case 'pending':
      return 'pending (queued on the tenant)';
    case 'processing':
      return `processing ${p.percent ?? 0}%${p.timeLeftSeconds !== undefined ? `, about ${formatDuration(p.timeLeftSeconds * 1000)} left` : ''}`;
    case 'downloading':
      return `downloading, ${size(p.bytes ?? 0)}`;
    case 'done':
      return `done, ${p.rows ?? 0} rows (${size(p.bytes ?? 0)})`;
  }
}

/** The share of the whole export that is done: the job's percentage, then the download. */
function ratio(p: ExportProgress): number {
  if (p.phase === 'pending') return 0;
  if (p.phase === 'processing') return ((p.percent ?? 0) / 100) * 0.9;
  return p.phase === 'done' ? 1 : 0.95;
}

/** One plain line (logs, CI, pipes). */
export function exportProgressLine(p: ExportProgress): string {
  return `export ${p.jobId}: ${describe(p)}`;
}

/** A bar for a terminal of `columns` columns (no newline). */
export function exportProgressBar(p: ExportProgress, columns = 80): string {
  return barLine(ratio(p), `${p.jobId} ${describe(p)}`, columns);
}
