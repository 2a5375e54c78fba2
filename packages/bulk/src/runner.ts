/** `runBulk`: run calls through one client at the tenant's pace, journaled so a rerun resumes exactly. */
import type { ManagementClient } from '@scopebound/management';
import { callHash, operationOf, type BulkCall } from './call';
import { nextConcurrency, type ConcurrencyState } from './concurrency';
import { BulkOptionError, JournalMismatchError } from './errors';
import { JournalWriter, readJournal } from './journal';
import { decideFailure } from './outcome';
import type { BulkProgress } from './progress';
import { foldJournal, resumeAction, type CallRecord } from './resume';
import { Slots } from './slots';

export interface BulkOptions {
  readonly client: ManagementClient;
  /** Journal file. Without one the run cannot be resumed. */
  readonly journal?: string;
  /** Calls in flight: a number, or `'auto'` (default) to follow the observed rate and latency. */
  readonly concurrency?: number | 'auto';
  /** Upper bound for `'auto'` (default 64). */
  readonly maxConcurrency?: number;
  /** Number of calls, when known (for ETA). */
  readonly total?: number;
  /** Abort to stop sending; calls in flight finish and are journaled. */
  readonly signal?: AbortSignal;
  /** Resend calls that were in flight at a crash even when the operation is not idempotent. */
  readonly resendInFlight?: boolean;
  /** Attempts per call by the runner, on top of the client's own retries (default 5). */
  readonly maxAttempts?: number;
  /** Longest an attempt may take, pacing and the client's retries included (default 120 000 ms). */
  readonly callTimeoutMs?: number;
  readonly onProgress?: (progress: BulkProgress) => void;
  /** How often `onProgress` (and the concurrency rule) runs, ms (default 500). */
  readonly intervalMs?: number;
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A call that did not succeed, with its input line and the error code. */
export interface BulkFailure {
  readonly seq: number;
  readonly line?: number;
  readonly call: BulkCall;
  readonly code: string;
  readonly message: string;
  readonly status?: number;
  /** It may have been applied (a non-idempotent call that timed out or got a 5xx). */
  readonly ambiguous?: boolean;
  /** Recorded by an earlier run of the same journal. */
  readonly earlier?: boolean;
}

export interface BulkResult {
  readonly total: number;
  /** Completed, in this run or an earlier one. */
  readonly done: number;
  /** Requests this run sent (first attempts). */
  readonly sent: number;
  readonly skipped: number;
  readonly failed: readonly BulkFailure[];
  /** In flight at an earlier crash, not idempotent: check these by hand (or rerun with `resendInFlight`). */
  readonly toCheck: readonly { seq: number; line?: number; call: BulkCall }[];
  readonly interrupted: boolean;
  readonly elapsedMs: number;
}

/** The journal's call at `seq` when it is not `call` (the input changed), else undefined. */
export function journalConflict(records: ReadonlyMap<number, CallRecord>, seq: number, call: BulkCall): CallRecord | undefined {
  const r = records.get(seq);
  return r && r.hash !== callHash(call) ? r : undefined;
}

function checkOptions(o: BulkOptions): void {
  const c = o.concurrency ?? 'auto';
  if (c !== 'auto' && !(Number.isInteger(c) && c >= 1 && c <= 1024)) throw new BulkOptionError('concurrency', "must be an integer from 1 to 1024 or 'auto'.");
  if (o.maxAttempts !== undefined && !(Number.isInteger(o.maxAttempts) && o.maxAttempts >= 1)) throw new BulkOptionError('maxAttempts', 'must be an integer ≥ 1.');
}

/** Run every call; resolves with exact accounting (never throws for a failed call: see `failed`). */
export async function runBulk(calls: AsyncIterable<BulkCall> | Iterable<BulkCall>, options: BulkOptions): Promise<BulkResult> {
  checkOptions(options);
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxAttempts = options.maxAttempts ?? 5;
  const auto = (options.concurrency ?? 'auto') === 'auto';
  let conc: ConcurrencyState = auto ? { current: 4, min: 2, max: options.maxConcurrency ?? 64 } : { current: options.concurrency as number, min: 1, max: 1024 };
  const records = options.journal ? foldJournal(readJournal(options.journal)) : new Map<number, CallRecord>();
  const journal = options.journal ? await JournalWriter.open(options.journal) : undefined;
  const slots = new Slots(conc.current);
  const started = clock();
  const failed: BulkFailure[] = [];
  const toCheck: { seq: number; line?: number; call: BulkCall }[] = [];
  let total = 0, done = 0, sent = 0, skipped = 0;
  let windowDone = 0, windowStart = started, minLatency = Infinity, rate = 0;

  const progress = (): BulkProgress => ({
    ...(options.total !== undefined ? { total: options.total } : {}),
    done, failed: failed.length, toCheck: toCheck.length, inFlight: slots.busy, concurrency: conc.current, rate, elapsedMs: clock() - started,
  });
  const tick = () => {
    const now = clock();
    const dt = now - windowStart;
    if (dt > 0 && windowDone > 0) {
      const x = (windowDone * 1000) / dt;
      rate = rate === 0 ? x : rate * 0.7 + x * 0.3;
      if (auto) conc = nextConcurrency(conc, { throughput: x, minLatencyMs: minLatency });
      slots.resize(conc.current);
      windowDone = 0;
      windowStart = now;
      minLatency = Infinity;
    }
    options.onProgress?.(progress());
  };
  const timer = setInterval(tick, options.intervalMs ?? 500);
  timer.unref?.();

  const execute = async (seq: number, call: BulkCall) => {
    const op = operationOf(call.operation)!;
    const fail = (d: { code: string; message: string; status?: number; ambiguous?: boolean }) => {
      journal?.append({ t: 'fail', n: seq, ...d });
      failed.push({ seq, ...(call.line !== undefined ? { line: call.line } : {}), call, ...d });
    };
    let t0 = clock(); // latency includes the journal's fsync: both hold a slot
    await journal?.durable({ t: 'send', n: seq, h: callHash(call), op: call.operation, ...(call.line !== undefined ? { line: call.line } : {}) });
    sent += 1;
    for (let attempt = 1; ; attempt++, t0 = clock()) {
      const deadline = AbortSignal.timeout(options.callTimeoutMs ?? 120_000);
      try {
        await options.client.request(`${op.method} /api/v2${op.path}` as never, { params: call.params, body: call.body, signal: deadline } as never);
        minLatency = Math.min(minLatency, clock() - t0);
        journal?.append({ t: 'ok', n: seq });
        done += 1;
        windowDone += 1;
        return;
      } catch (caught) {
        const error = deadline.aborted ? { code: 'ERR_BULK_CALL_DEADLINE', message: `No answer within callTimeoutMs (${options.callTimeoutMs ?? 120_000} ms), pacing and retries included.` } : caught;
        const d = decideFailure({ error, idempotent: op.idempotent, attempt, maxAttempts, now: clock() });
        if (d.kind === 'retry') {
          await sleep(d.delayMs);
          continue;
        }
        const { kind: _kind, ...rest } = d;
        fail(rest);
        return;
      }
    }
  };

  const running = new Set<Promise<void>>();
  let interrupted = false;
  try {
    let seq = 0;
    for await (const call of calls) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      seq += 1;
      total += 1;
      const op = operationOf(call.operation);
      if (!op) throw new BulkOptionError('calls', `call ${seq}: unknown operation ${JSON.stringify(call.operation)}; validate the input first (validateInput).`);
      const record = records.get(seq);
      const action = resumeAction(record, callHash(call), op.idempotent, options.resendInFlight);
      const at = call.line !== undefined ? { line: call.line } : {};
      if (action === 'mismatch') throw new JournalMismatchError(seq, options.journal!);
      if (action === 'skip-done') {
        done += 1;
        skipped += 1;
        continue;
      }
      if (action === 'skip-failed') {
        skipped += 1;
        failed.push({ seq, ...at, call, ...record!.failure!, earlier: true });
        continue;
      }
      if (action === 'check') {
        toCheck.push({ seq, ...at, call });
        continue;
      }
      await slots.acquire();
      const task = execute(seq, call).finally(() => {
        slots.release();
        running.delete(task);
      });
      running.add(task);
    }
    if (options.signal?.aborted) interrupted = true;
    await Promise.all(running);
  } finally {
    clearInterval(timer);
    await Promise.allSettled(running);
    await journal?.close();
  }
  tick();
  return { total, done, sent, skipped, failed, toCheck, interrupted, elapsedMs: clock() - started };
}
