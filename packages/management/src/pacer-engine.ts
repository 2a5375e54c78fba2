/**
 * The pacer's engine: mirrors the tenant's token bucket and queues calls; built on first need.
 *
 * Paced: entered when a response says the bucket is drained (`x-ratelimit-remaining: 0`, also on a 429), or
 * that fewer tokens remain than this client has sent since (those requests will use them up).
 * The pacer then mirrors the server's bucket. `credit` is what the server last reported as remaining, minus
 * the requests this client sent after that one (they will consume it), plus the refill at the estimated rate
 * since. A call goes when credit ≥ 1; otherwise it waits in a FIFO queue that drains as the credit refills, or
 * at once when a response reports spare tokens. So a burst of waiting calls is released gradually, at the
 * refill rate, instead of all at once when the bucket is full again.
 *
 * The refill rate is learned from the responses: over a window of at least 250 ms (up to 2 s),
 * rate = (Δremaining + requests the server accepted) / Δt. That is this client's share of the bucket (other
 * consumers of the tenant reduce it, as they should). Until the first window it is bounded from
 * `x-ratelimit-reset` (when the bucket will be full again, rounded up to a second: a lower bound of the rate),
 * and assumed to be at least a full bucket per 2 s.
 * Before that, a 429 on a request sent after pacing began means the bound was too high: × 0.7 (once per
 * flight of requests). A response without `x-ratelimit-remaining` (e.g. a 429 with only `Retry-After`) does not
 * activate the pacer: such a call waits for `Retry-After` (or backs off) on its own.
 *
 * Back to open when the mirrored bucket has been full and nothing waited for `QUIET_MS`.
 *
 * Time is `max(clock(), end of the last wait)`, so an injected clock that does not move while an injected
 * sleep returns at once (tests) still sees time pass exactly as the waits say.
 */
import { headerNumber, parseRetryAfter } from '@scopebound/token/http';
import type { Pacer, PacerOptions, PacerState } from './pacer';
import type { RawHeaders } from './transport';

/** Shortest and longest window of the rate estimate. */
const MIN_WINDOW_MS = 250;
const MAX_WINDOW_MS = 2_000;
/** Paced → open after this long with a full mirrored bucket and an empty queue. */
const QUIET_MS = 10_000;
/** Rate bounds (tokens per ms): one per minute to 10 000 per second. */
const MIN_RATE = 1 / 60_000;
const MAX_RATE = 10;
/** The drain loop re-evaluates at least this often (deadlines, a changed rate). */
const MAX_TICK_MS = 1_000;


interface Waiter {
  readonly at: number;
  readonly deadline: number;
  readonly resolve: (waitedMs: number) => void;
  readonly reject: (error: unknown) => void;
  readonly expired: (waitedMs: number) => Error;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface Snapshot {
  readonly t: number;
  readonly remaining: number;
  readonly accepted: number;
}

/** One header value as a string (a repeated header is not a number). */
const one = (value: string | string[] | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** What the pacer does once limits matter; built on first need (constructing a client compiles none of it). */
export interface Engine {
  granted(): number;
  send(): number;
  cancel(): void;
  acquire: Pacer['acquire'];
  observeSlow(seq: number, status: number, headers: RawHeaders, rem: string | string[] | undefined): void;
  now(): number;
  advance(t: number): void;
  expectedWait(): number;
  state(): PacerState;
}

const clampRate = (r: number) => Math.min(MAX_RATE, Math.max(MIN_RATE, r));

export function createEngine(options: PacerOptions, pacer: Pacer): Engine {
  const { clock, sleep } = options;
  let floor = 0;
  let limit: number | undefined;
  let rate: number | undefined;
  let measured = false;
  let credit = 0;
  let updatedAt = 0;
  let accepted = 0;
  let lastDrainAt = 0;
  /** Sends up to this number were in flight at the last multiplicative decrease (AIMD without headers). */
  let decreasedThrough = 0;
  let snapshots: Snapshot[] = [];
  /** Slots handed out by `acquire` whose request has not been sent yet: they count as sent. */
  let granted = 0;
  const queue: Waiter[] = [];
  let draining = false;

  const now = () => {
    const t = clock();
    if (t > floor) floor = t;
    return floor;
  };
  const advance = (t: number) => {
    if (t > floor) floor = t;
  };
  const capacity = () => limit ?? 1;

  const refill = (t: number) => {
    if (t > updatedAt) {
      if (rate !== undefined) credit = Math.min(capacity(), credit + (t - updatedAt) * rate);
      updatedAt = t;
    }
  };

  const settle = (w: Waiter) => {
    if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
  };

  /** Reject waiters past their deadline, then release as many as the credit allows. */
  const pump = (t: number) => {
    refill(t);
    for (let i = 0; i < queue.length; ) {
      const w = queue[i] as Waiter;
      if (t >= w.deadline) {
        queue.splice(i, 1);
        settle(w);
        w.reject(w.expired(t - w.at));
      } else {
        i++;
      }
    }
    while (queue.length > 0 && credit >= 1) {
      credit -= 1;
      granted += 1;
      const w = queue.shift() as Waiter;
      settle(w);
      w.resolve(t - w.at);
    }
  };

  const earliestDeadline = () => {
    let d = Number.POSITIVE_INFINITY;
    for (const w of queue) if (w.deadline < d) d = w.deadline;
    return d;
  };

  const expectedWait = () => {
    if (!pacer.active || rate === undefined) return 0;
    refill(now());
    const need = queue.length + 1 - credit;
    return need <= 0 ? 0 : need / rate;
  };

  const drain = async () => {
    draining = true;
    try {
      while (queue.length > 0) {
        const t = now();
        pump(t);
        if (queue.length === 0) break;
        const r = rate ?? MIN_RATE;
        const wait = Math.min(MAX_TICK_MS, Math.max(1, Math.ceil(Math.min((1 - credit) / r, earliestDeadline() - t))));
        try {
          await sleep(wait);
        } catch {
          // An injected sleep that fails must not strand the queue; time still moves below.
        }
        advance(t + wait);
      }
    } finally {
      draining = false;
    }
  };

  const activate = (t: number, remaining: number | undefined, headers: RawHeaders) => {
    pacer.active = true;
    snapshots = [];
    decreasedThrough = pacer.seq + granted;
    if (rate !== undefined) return; // keep what was learned before
    const reset = headerNumber(one(headers['x-ratelimit-reset']));
    const retryAfterMs = parseRetryAfter(one(headers['retry-after']), t);
    if (limit !== undefined && reset !== undefined && reset * 1000 > t) {
      // The bucket is full at `reset` (rounded up to a second): the rate is at least (limit − remaining) / that.
      // With much remaining that bound is weak, so assume at least a full bucket per 2 s until measured.
      rate = clampRate(Math.max(Math.max(1, limit - (remaining ?? 0)) / (reset * 1000 - t), limit / 2000));
    } else if (retryAfterMs !== undefined && retryAfterMs > 0) {
      rate = clampRate(Math.max(1, limit ?? 1) / retryAfterMs);
    } else {
      rate = clampRate(1 / 1000);
    }
  };

  /** rate = (Δremaining + accepted) / Δt over the longest window available (≥ 250 ms, ≤ 2 s). */
  const estimate = (t: number, remaining: number) => {
    const saturated = (r: number) => limit !== undefined && r >= limit - 1;
    if (!saturated(remaining)) {
      for (const s of snapshots) {
        const span = t - s.t;
        if (span > MAX_WINDOW_MS) continue;
        if (span < MIN_WINDOW_MS) break;
        if (saturated(s.remaining)) continue;
        const est = (remaining - s.remaining + (accepted - s.accepted)) / span;
        if (est > 0) {
          rate = clampRate(est);
          measured = true;
        }
        break;
      }
    }
    const last = snapshots[snapshots.length - 1];
    if (!last || t - last.t >= MIN_WINDOW_MS) {
      snapshots.push({ t, remaining, accepted });
      while (snapshots.length > 2 && t - (snapshots[1] as Snapshot).t > MAX_WINDOW_MS) snapshots.shift();
    }
  };

  const observeSlow = (seq: number, status: number, headers: RawHeaders, rem: string | string[] | undefined) => {
    const t = now();
    const remaining = headerNumber(one(rem));
    const lim = headerNumber(one(headers['x-ratelimit-limit']));
    if (lim !== undefined && lim > 0) {
      if (limit !== undefined && lim !== limit) snapshots = []; // another bucket is reported now
      limit = lim;
    }
    const drained = status === 429 || remaining === 0;
    if (drained) lastDrainAt = t;
    if (!pacer.active) activate(t, remaining, headers);
    refill(t);
    if (status !== 429) accepted += 1;
    if (remaining !== undefined) {
      // The server's word, less what this client sent after the request it answers.
      credit = Math.min(capacity(), remaining - (pacer.seq + granted - seq));
      updatedAt = t;
      estimate(t, remaining);
    } else if (status === 429) {
      credit = Math.min(credit, -(pacer.seq + granted - seq));
    }
    if (status === 429 && !measured && rate !== undefined && seq > decreasedThrough) {
      rate = clampRate(rate * 0.7);
      decreasedThrough = pacer.seq + granted;
    }
    if (queue.length > 0) pump(t);
  };

  return {
    granted: () => granted,
    send() {
      if (granted > 0) granted -= 1;
      return ++pacer.seq;
    },
    cancel() {
      if (granted > 0) granted -= 1;
    },
    acquire(budgetMs, signal, front, expired) {
      if (!pacer.active) return 0;
      const t = now();
      refill(t);
      if (queue.length === 0) {
        if (credit >= 1) {
          credit -= 1;
          granted += 1;
          if (credit + 1 >= capacity() && t - lastDrainAt >= QUIET_MS) pacer.active = false;
          return 0;
        }
      }
      const r = rate ?? MIN_RATE;
      // Fail fast only on a measured rate; an unmeasured bound may be far too low.
      if (measured && (queue.length + 1 - credit) / r > budgetMs) return Promise.reject(expired(0));
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<number>((resolve, reject) => {
        const w: Waiter = { at: t, deadline: t + budgetMs, resolve, reject, expired, signal, onAbort: undefined };
        if (signal) {
          w.onAbort = () => {
            const i = queue.indexOf(w);
            if (i !== -1) queue.splice(i, 1);
            reject(signal.reason);
          };
          signal.addEventListener('abort', w.onAbort, { once: true });
        }
        if (front) queue.unshift(w);
        else queue.push(w);
        if (!draining) void drain();
      });
    },
    observeSlow,
    now,
    advance,
    expectedWait,
    state: () => ({
      active: pacer.active,
      ratePerSecond: rate === undefined ? undefined : rate * 1000,
      credit,
      limit,
      queued: queue.length,
      measured,
    }),
  };
}
