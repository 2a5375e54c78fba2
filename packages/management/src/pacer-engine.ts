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
 * flight of requests). Any 429 activates the pacer, also one without `x-ratelimit-remaining` (e.g. with only a
 * useless `Retry-After: 0`): the client then goes at the learned rate (1/s until something better is known).
 * A call fails before waiting only when even the best rate seen (the highest measured, or the tenant's refill as
 * `x-ratelimit-reset` bounds it) could not serve it within its budget: a client's share of a bucket that other
 * processes also drain swings with what they send, and failing on a momentary dip would fail a fleet's calls.
 * This engine is per client; a fleet-wide limit is another `Pacer` behind the `rateLimiter` option (rate-limiter.ts).
 *
 * Back to open when the mirrored bucket has been full and nothing waited for `QUIET_MS`.
 *
 * Time is `max(clock(), end of the last wait)`, so an injected clock that does not move while an injected
 * sleep returns at once (tests) still sees time pass exactly as the waits say.
 */
import { headerNumber, parseRetryAfter } from '@scopebound/token/http';
import type { Engine, Pacer, PacerOptions } from './pacer';
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

const clampRate = (r: number) => Math.min(MAX_RATE, Math.max(MIN_RATE, r));

/** The engine's state, handed to every step: the mirror of the tenant's bucket and the queue of waiting calls. */
interface Bucket {
  readonly options: PacerOptions;
  readonly pacer: Pacer;
  /** The pacer's time: never behind the end of the last wait. */
  floor: number;
  limit: number | undefined;
  rate: number | undefined;
  measured: boolean;
  /**
   * The best rate seen (tokens per ms): the highest measured, or the tenant's refill as `x-ratelimit-reset`
   * bounds it. What this client could get if nobody else used the bucket: the rate fail-fast decisions use.
   */
  peak: number;
  credit: number;
  updatedAt: number;
  accepted: number;
  lastDrainAt: number;
  /** Sends up to this number were in flight at the last multiplicative decrease (AIMD without headers). */
  decreasedThrough: number;
  snapshots: Snapshot[];
  /** Slots handed out by `acquire` whose request has not been sent yet: they count as sent. */
  granted: number;
  readonly queue: Waiter[];
  draining: boolean;
}

function now(b: Bucket): number {
  const t = b.options.clock();
  if (t > b.floor) b.floor = t;
  return b.floor;
}

function advance(b: Bucket, t: number): void {
  if (t > b.floor) b.floor = t;
}

const capacity = (b: Bucket) => b.limit ?? 1;

function refill(b: Bucket, t: number): void {
  if (t > b.updatedAt) {
    if (b.rate !== undefined) b.credit = Math.min(capacity(b), b.credit + (t - b.updatedAt) * b.rate);
    b.updatedAt = t;
  }
}

function settle(w: Waiter): void {
  if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
}

/** Reject waiters past their deadline, then release as many as the credit allows. */
function pump(b: Bucket, t: number): void {
  refill(b, t);
  const { queue } = b;
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
  while (queue.length > 0 && b.credit >= 1) {
    b.credit -= 1;
    b.granted += 1;
    const w = queue.shift() as Waiter;
    settle(w);
    w.resolve(t - w.at);
  }
}

function earliestDeadline(b: Bucket): number {
  let d = Number.POSITIVE_INFINITY;
  for (const w of b.queue) if (w.deadline < d) d = w.deadline;
  return d;
}

function expectedWait(b: Bucket): number {
  if (!b.pacer.active || b.rate === undefined) return 0;
  refill(b, now(b));
  const need = b.queue.length + 1 - b.credit;
  return need <= 0 ? 0 : need / b.rate;
}

async function drain(b: Bucket): Promise<void> {
  b.draining = true;
  try {
    while (b.queue.length > 0) {
      const t = now(b);
      pump(b, t);
      if (b.queue.length === 0) break;
      const r = b.rate ?? MIN_RATE;
      const wait = Math.min(MAX_TICK_MS, Math.max(1, Math.ceil(Math.min((1 - b.credit) / r, earliestDeadline(b) - t))));
      try {
        await b.options.sleep(wait);
      } catch {
        // An injected sleep that fails must not strand the queue; time still moves below.
      }
      advance(b, t + wait);
    }
  } finally {
    b.draining = false;
  }
}

function activate(b: Bucket, t: number, remaining: number | undefined, headers: RawHeaders): void {
  b.pacer.active = true;
  b.snapshots = [];
  b.decreasedThrough = b.pacer.seq + b.granted;
  if (b.rate !== undefined) return; // keep what was learned before
  const { limit } = b;
  const reset = headerNumber(one(headers['x-ratelimit-reset']));
  const retryAfterMs = parseRetryAfter(one(headers['retry-after']), t);
  if (limit !== undefined && reset !== undefined && reset * 1000 > t) {
    // The bucket is full at `reset` (rounded up to a second): the rate is at least (limit − remaining) / that.
    // With much remaining that bound is weak, so assume at least a full bucket per 2 s until measured.
    b.rate = clampRate(Math.max(Math.max(1, limit - (remaining ?? 0)) / (reset * 1000 - t), limit / 2000));
  } else if (retryAfterMs !== undefined && retryAfterMs > 0) {
    b.rate = clampRate(Math.max(1, limit ?? 1) / retryAfterMs);
  } else {
    b.rate = clampRate(1 / 1000);
  }
}

/** rate = (Δremaining + accepted) / Δt over the longest window available (≥ 250 ms, ≤ 2 s). */
function estimate(b: Bucket, t: number, remaining: number): void {
  const saturated = (r: number) => b.limit !== undefined && r >= b.limit - 1;
  const { snapshots } = b;
  if (!saturated(remaining)) {
    for (const s of snapshots) {
      const span = t - s.t;
      if (span > MAX_WINDOW_MS) continue;
      if (span < MIN_WINDOW_MS) break;
      if (saturated(s.remaining)) continue;
      const est = (remaining - s.remaining + (b.accepted - s.accepted)) / span;
      if (est > 0) {
        b.rate = clampRate(est);
        b.measured = true;
        if (b.rate > b.peak) b.peak = b.rate;
      }
      break;
    }
  }
  const last = snapshots[snapshots.length - 1];
  if (!last || t - last.t >= MIN_WINDOW_MS) {
    snapshots.push({ t, remaining, accepted: b.accepted });
    while (snapshots.length > 2 && t - (snapshots[1] as Snapshot).t > MAX_WINDOW_MS) snapshots.shift();
  }
}

function observeSlow(b: Bucket, seq: number, status: number, headers: RawHeaders, rem: string | string[] | undefined): void {
  const { pacer } = b;
  const t = now(b);
  const remaining = headerNumber(one(rem));
  const lim = headerNumber(one(headers['x-ratelimit-limit']));
  if (lim !== undefined && lim > 0) {
    if (b.limit !== undefined && lim !== b.limit) b.snapshots = []; // another bucket is reported now
    b.limit = lim;
  }
  if (status === 429 || remaining === 0) b.lastDrainAt = t;
  const reset = headerNumber(one(headers['x-ratelimit-reset']));
  if (b.limit !== undefined && remaining !== undefined && reset !== undefined && reset * 1000 > t) {
    // The bucket is full at `reset` however many share it: its refill is at least (limit − remaining) / that.
    const bound = (b.limit - remaining) / (reset * 1000 - t);
    if (bound > b.peak) b.peak = clampRate(bound);
  }
  if (!pacer.active) activate(b, t, remaining, headers);
  refill(b, t);
  if (status !== 429) b.accepted += 1;
  if (remaining !== undefined) {
    // The server's word, less what this client sent after the request it answers.
    b.credit = Math.min(capacity(b), remaining - (pacer.seq + b.granted - seq));
    b.updatedAt = t;
    estimate(b, t, remaining);
  } else if (status === 429) {
    b.credit = Math.min(b.credit, -(pacer.seq + b.granted - seq));
  }
  if (status === 429 && !b.measured && b.rate !== undefined && seq > b.decreasedThrough) {
    b.rate = clampRate(b.rate * 0.7);
    b.decreasedThrough = pacer.seq + b.granted;
  }
  if (b.queue.length > 0) pump(b, t);
}

/** A slot now (0), or a place in the queue (a promise of the ms waited). */
function acquire(b: Bucket, budgetMs: number, signal: AbortSignal | undefined, front: boolean, expired: (waitedMs: number) => Error): number | Promise<number> {
  if (!b.pacer.active) return 0;
  const t = now(b);
  refill(b, t);
  const { queue } = b;
  if (queue.length === 0 && b.credit >= 1) {
    b.credit -= 1;
    b.granted += 1;
    if (b.credit + 1 >= capacity(b) && t - b.lastDrainAt >= QUIET_MS) b.pacer.active = false;
    return 0;
  }
  // Fail fast only when even the best rate measured could not serve the call in time: a share of a bucket other
  // processes also drain swings with what they send, and an unmeasured bound may be far too low.
  if (b.measured && (queue.length + 1 - b.credit) / Math.max(b.rate ?? MIN_RATE, b.peak) > budgetMs) return Promise.reject(expired(0));
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
    if (!b.draining) void drain(b);
  });
}

export function createEngine(options: PacerOptions, pacer: Pacer): Engine {
  const b: Bucket = {
    options, pacer, floor: 0, limit: undefined, rate: undefined, measured: false, peak: 0, credit: 0, updatedAt: 0,
    accepted: 0, lastDrainAt: 0, decreasedThrough: 0, snapshots: [], granted: 0, queue: [], draining: false,
  };
  return {
    granted: () => b.granted,
    send() {
      if (b.granted > 0) b.granted -= 1;
      return ++pacer.seq;
    },
    cancel() {
      if (b.granted > 0) b.granted -= 1;
    },
    acquire: (budgetMs, signal, front, expired) => acquire(b, budgetMs, signal, front, expired),
    observeSlow: (seq, status, headers, rem) => observeSlow(b, seq, status, headers, rem),
    now: () => now(b),
    advance: (t) => advance(b, t),
    expectedWait: () => expectedWait(b),
    state: () => ({ active: pacer.active, ratePerSecond: b.rate === undefined ? undefined : b.rate * 1000, credit: b.credit, limit: b.limit, queued: b.queue.length, measured: b.measured }),
  };
}
