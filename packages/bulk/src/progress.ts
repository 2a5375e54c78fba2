/** Progress as data (what the runner reports) and its two renderings: a TTY bar and a plain log line; the bar itself (`barLine`) is shared with the export's progress. */

export interface BulkProgress {
  /** Calls in the input, when known. */
  readonly total?: number;
  /** Completed in this run or an earlier one. */
  readonly done: number;
  readonly failed: number;
  /** In flight at an earlier crash and not idempotent: listed for the user, not sent. */
  readonly toCheck: number;
  readonly inFlight: number;
  readonly concurrency: number;
  /** Learned completion rate (calls/s) of this run. */
  readonly rate: number;
  readonly elapsedMs: number;
}

/** Milliseconds left at the learned rate, or undefined when the total or the rate is unknown. */
export function etaMs(p: BulkProgress): number | undefined {
  if (p.total === undefined || !(p.rate > 0)) return undefined;
  const left = Math.max(0, p.total - p.done - p.failed - p.toCheck);
  return (left / p.rate) * 1000;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function counts(p: BulkProgress): string {
  const of = p.total !== undefined ? `/${p.total}` : '';
  const check = p.toCheck > 0 ? `, ${p.toCheck} to check` : '';
  return `${p.done}${of} done, ${p.failed} failed${check}, ${p.rate.toFixed(0)}/s, ETA ${formatDuration(etaMs(p))}`;
}

/** One plain line (logs, CI, pipes). */
export function progressLine(p: BulkProgress): string {
  return `bulk: ${counts(p)}, in flight ${p.inFlight} (concurrency ${p.concurrency})`;
}

/** `[####......] text`, the bar filled to `ratio` (0..1) and sized to leave `text` room in `columns`. */
export function barLine(ratio: number, text: string, columns = 80): string {
  const width = Math.max(10, Math.min(40, columns - text.length - 3));
  const filled = Math.round(Math.max(0, Math.min(1, ratio)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`;
}

/** A bar for a terminal of `columns` columns (no newline; the caller rewrites the line with `\r`). */
export function progressBar(p: BulkProgress, columns = 80): string {
  const finished = p.done + p.failed + p.toCheck;
  return barLine(p.total ? finished / p.total : 0, counts(p), columns);
}
