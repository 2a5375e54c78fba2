/** What a journal says about each call, and the pure decision of what a resumed run does with that call. */
import type { JournalEntry } from './journal';

/** The journal's last word on one call position. */
export interface CallRecord {
  readonly hash: string;
  readonly operation: string;
  readonly line?: number;
  readonly outcome?: 'ok' | 'fail';
  readonly failure?: { code: string; message: string; status?: number; ambiguous?: boolean };
}

/** Fold journal entries into one record per call position (later entries win). */
export function foldJournal(entries: Iterable<JournalEntry>): Map<number, CallRecord> {
  const records = new Map<number, CallRecord>();
  for (const e of entries) {
    if (e.t === 'run') continue;
    if (e.t === 'send') {
      records.set(e.n, { hash: e.h, operation: e.op, ...(e.line !== undefined ? { line: e.line } : {}) });
      continue;
    }
    const sent = records.get(e.n);
    if (!sent) continue; // an outcome without its send line cannot be written by the runner; ignore it
    if (e.t === 'ok') records.set(e.n, { ...sent, outcome: 'ok' });
    else {
      const { code, message, status, ambiguous } = e;
      records.set(e.n, { ...sent, outcome: 'fail', failure: { code, message, ...(status !== undefined ? { status } : {}), ...(ambiguous ? { ambiguous } : {}) } });
    }
  }
  return records;
}

/**
 * - `send`: never sent (no record).
 * - `skip-done` / `skip-failed`: finished in an earlier run (done, or failed in a way retrying cannot fix).
 * - `resend`: sent, no outcome recorded (in flight at a crash), and safe to send again (idempotent, or the
 *   user said so with `resendInFlight`).
 * - `check`: in flight at a crash and not idempotent: it may or may not have been applied; listed, not sent.
 * - `mismatch`: the journal holds a different call at this position: the input changed.
 */
export type ResumeAction = 'send' | 'skip-done' | 'skip-failed' | 'resend' | 'check' | 'mismatch';

export function resumeAction(record: CallRecord | undefined, hash: string, idempotent: boolean, resendInFlight = false): ResumeAction {
  if (!record) return 'send';
  if (record.hash !== hash) return 'mismatch';
  if (record.outcome === 'ok') return 'skip-done';
  if (record.outcome === 'fail') return 'skip-failed';
  return idempotent || resendInFlight ? 'resend' : 'check';
}
