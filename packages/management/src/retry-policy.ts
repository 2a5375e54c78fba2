/**
 * The retry policy, pure: after one attempt, what the call does next (done, re-mint once, wait and go again,
 * or fail), from the attempt's outcome, the call's bookkeeping and the settings. No I/O, no clock, no state.
 *
 * - 401 with a minted token: re-mint once (any method).
 * - 429: wait (Retry-After, else the pacer, else x-ratelimit-reset, else backoff) without spending the retry
 *   budget, as long as each wait is within `retry.maxRetryAfterMs`, the call's total within
 *   `retry.maxRateLimitWaitMs` and the call's 429 retries within `retry.maxRateLimitRetries`. A hint that asks
 *   for no wait (0, negative, a past date or reset, garbage) is no hint: exponential backoff with jitter (at least
 *   `retry.minDelayMs`); a hinted wait is never shorter than `retry.minDelayMs` either.
 * - 5xx (500/502/503/504), network errors and timeouts: only on idempotent methods (never POST/PATCH, whose
 *   ambiguous failures may have been processed), within `retry.retries`, exponential backoff with jitter.
 */
import { parseRetryAfter } from '@scopebound/token/http';
import { ManagementApiError, NetworkError, RateLimitError, TimeoutError } from './errors';
import type { ResolvedRetry } from './options';

export type RetryReason = 'rate-limit' | 'server-error' | 'network' | 'timeout';

export type RetryStep =
  | { readonly kind: 'done' }
  | { readonly kind: 're-authenticate' }
  | { readonly kind: 'wait'; readonly ms: number; readonly reason: RetryReason; readonly status?: number }
  | { readonly kind: 'fail'; readonly error: unknown };

export interface AttemptOutcome {
  /** The response status, when a response arrived. */
  readonly status: number | undefined;
  /** The attempt's error (an API error for an error status); undefined on success. */
  readonly error: unknown;
  /** True when a minted token was sent (a user's token is never re-minted). */
  readonly minted: boolean;
}

/** Per-call bookkeeping, kept by the loop (the policy only reads it). */
export interface CallState {
  /** Attempts sent so far. */
  attempt: number;
  reauthed: boolean;
  /** Retries spent from `retry.retries` (5xx, network, timeout). */
  retries: number;
  /** Rate-limit retries so far and the time they (and the pacer) made this call wait. */
  rateLimitRetries: number;
  rateLimitWaitedMs: number;
}

export interface PolicyConfig {
  readonly retry: ResolvedRetry;
  readonly idempotent: boolean;
  /** The pacer is holding calls: it decides when a 429 without Retry-After goes again. */
  readonly paced: boolean;
  /** The caller aborted: nothing is retried. */
  readonly aborted: boolean;
  /** The pacer's time (epoch ms). */
  readonly now: number;
  readonly random: () => number;
}

const DONE: RetryStep = Object.freeze({ kind: 'done' });
const REAUTH: RetryStep = Object.freeze({ kind: 're-authenticate' });

export function nextStep(outcome: AttemptOutcome, st: CallState, config: PolicyConfig): RetryStep {
  const { error } = outcome;
  if (error === undefined) return DONE;
  if (outcome.status === 401 && outcome.minted && !st.reauthed) return REAUTH;
  if (error instanceof RateLimitError) return rateLimitStep(error, st, config);
  const reason = config.idempotent ? classify(error) : undefined;
  if (!reason || config.aborted || st.retries >= config.retry.retries) return { kind: 'fail', error };
  return { kind: 'wait', ms: backoff(config.retry, st.retries, config.random), ...reason };
}

/** How long a 429 waits, or fail when the wait would pass a cap. */
function rateLimitStep(error: RateLimitError, st: CallState, { retry, paced, now, random }: PolicyConfig): RetryStep {
  const fail: RetryStep = { kind: 'fail', error };
  if (st.rateLimitRetries >= retry.maxRateLimitRetries) return fail;
  // Only a hint that asks for a real wait counts; 0, negative, past and unreadable values fall through.
  const retryAfter = positive(parseRetryAfter(error.headers['retry-after'], now));
  const untilReset = error.resetAt === undefined ? undefined : positive(error.resetAt - now);
  // The floor of a hinted wait; without a usable hint, the backoff (a storm of "retry now" cannot go faster).
  const floor = retry.minDelayMs;
  let delay: number;
  if (retryAfter !== undefined) {
    // The server's minimum; jitter spreads the calls refused together over the next quarter of it.
    if (retryAfter > retry.maxRetryAfterMs) return fail;
    delay = Math.max(floor, retry.jitter ? retryAfter + random() * retryAfter * 0.25 : retryAfter);
  } else if (retry.pace && paced) {
    // No usable Retry-After: the pacer (which just saw this 429) decides when it goes.
    delay = 0;
  } else if (untilReset !== undefined) {
    // x-ratelimit-reset is when the bucket is full again: spread the retries over that window.
    if (untilReset > retry.maxRetryAfterMs) return fail;
    delay = Math.max(floor, retry.jitter ? untilReset * (0.5 + random() * 0.5) : untilReset);
  } else {
    delay = Math.max(floor, backoff(retry, st.rateLimitRetries, random));
  }
  delay = Math.round(delay);
  // Every retry counts at least 1 ms, so the loop is bounded even when nothing tells it to wait.
  if (st.rateLimitWaitedMs + Math.max(1, delay) > retry.maxRateLimitWaitMs) return fail;
  return { kind: 'wait', ms: delay, reason: 'rate-limit', status: 429 };
}

const positive = (ms: number | undefined): number | undefined => (ms !== undefined && ms > 0 ? ms : undefined);

/** The retryable failures (429 is handled before, never spending the budget). */
function classify(error: unknown): { reason: 'server-error' | 'network' | 'timeout'; status?: number } | undefined {
  if (error instanceof ManagementApiError && [500, 502, 503, 504].includes(error.status)) return { reason: 'server-error', status: error.status };
  if (error instanceof NetworkError) return { reason: 'network' };
  if (error instanceof TimeoutError) return { reason: 'timeout' };
  return undefined;
}

/** Exponential backoff: min × factor^n up to max; with jitter between half and all of it. */
export function backoff(retry: ResolvedRetry, n: number, random: () => number): number {
  const base = Math.min(retry.maxDelayMs, retry.minDelayMs * retry.factor ** n);
  return retry.jitter ? Math.round(base / 2 + (random() * base) / 2) : base;
}
